import type { Catalog } from './en';

export const pt: Catalog = {
  greeting: 'Olá, {name},',
  signoff: 'Atenciosamente,',
  team: 'Sua equipe de suporte',
  replyHint: 'Para responder, basta responder a este e-mail mantendo {ref} no assunto: sua resposta será adicionada ao chamado.',
  'received.subject': 'Chamado {ref} recebido: {title}',
  'received.body': 'Obrigado por entrar em contato. Abrimos o chamado {ref}, “{title}”.',
  'received.due':
    'Nossa primeira resposta está prevista até {dueWeekday, select, 1 {segunda-feira} 2 {terça-feira} 3 {quarta-feira} 4 {quinta-feira} 5 {sexta-feira} 6 {sábado} other {domingo}}, {dueDate}: {target}.',
  'received.target':
    '{unit, select, minute {{amount, plural, one {# minuto} other {# minutos}}} hour {{amount, plural, one {# hora} other {# horas}}} other {{amount, plural, one {# dia útil} other {# dias úteis}}}} ({clock, select, wall {contagem 24 horas por dia} other {contagem no seu horário comercial}})',
  'received.noDue':
    '{kind, select, best_effort {Seu programa de suporte funciona por melhor esforço: respondemos o quanto antes, sem prazo de resposta garantido.} other {Este tipo de chamado não tem prazo de resposta: respondemos o quanto antes.}}',
  'infoRequest.subject': 'Chamado {ref}: precisamos de informações suas',
  'infoRequest.body': 'Para continuar trabalhando no chamado {ref}, “{title}”, precisamos do seguinte:',
  'infoRequest.schedule':
    'Se não tivermos notícias suas, entraremos em contato novamente {of, plural, one {em # dia útil} other {em # dias úteis diferentes}}; sem resposta, o chamado será encerrado em {closesAt}.',
  'attempt.subject': 'Chamado {ref}: aguardamos sua resposta (tentativa {attempt} de {of})',
  'attempt.body':
    'Esta é a tentativa {attempt} de {of} de falar com você sobre o chamado {ref}, “{title}”. Ainda precisamos da sua resposta para continuar:',
  'attempt.remaining':
    '{remaining, plural, =0 {Esta é a nossa última tentativa.} one {Tentaremos mais uma vez no próximo dia útil.} other {Tentaremos mais # vezes, uma por dia útil.}}',
  'attempt.closes': 'Se não tivermos notícias suas, o chamado será encerrado em {closesAt}.',
  'resolved.subject': 'Chamado {ref} resolvido: {title}',
  'resolved.body': 'Propusemos uma solução para o chamado {ref}, “{title}”:',
  'resolved.confirm':
    'Confirme que ela resolve o seu problema ou responda caso não resolva: uma resposta reabre o chamado. Sem resposta, o chamado será encerrado em {autoCloseAt}.',
  'closed.subject': 'Chamado {ref} encerrado: {title}',
  'closed.body':
    '{reason, select, no_customer_response {Tentamos falar com você {attempts, plural, one {em # dia útil} other {em # dias úteis diferentes}} sem resposta, por isso o chamado {ref} foi encerrado.} confirmed {Você confirmou a solução, por isso o chamado {ref} foi encerrado.} customer_request {O chamado {ref} foi encerrado a seu pedido.} resolution_timeout {Não recebemos retorno após a solução proposta, por isso o chamado {ref} foi encerrado.} support {Nossa equipe de suporte encerrou o chamado {ref}.} other {O chamado {ref} foi encerrado.}}',
  'closed.related':
    'Respostas a este e-mail não são adicionadas a um chamado encerrado. Se o problema continuar ou voltar, abra um novo chamado no portal de suporte: o link abaixo indica {ref} como chamado relacionado, para continuarmos de onde paramos.',
  'rca.subject': 'Chamado {ref}: análise de causa raiz',
  'rca.body': 'A análise de causa raiz do chamado {ref}, “{title}”, está pronta:',
  'managerAck.subject': 'Chamado {ref}: seu pedido para falar com um gestor',
  'managerAck.body':
    'Recebemos seu pedido para falar com um gestor sobre o chamado {ref}, “{title}”. Um gestor entrará em contato com você até {ackDueAt}.',
  'inboundClosed.subject': 'O caso {ref} está encerrado: sua mensagem não foi adicionada',
  'inboundClosed.body': 'O caso {ref}, “{title}”, está encerrado, por isso sua mensagem não foi adicionada a ele.',
  'inboundRejected.subject': 'Caso {ref}: sua mensagem não foi adicionada',
  'inboundRejected.body':
    'Não foi possível adicionar sua mensagem ao caso {ref}, “{title}”, neste momento. Responda pelo portal de suporte ou ligue para nós.',
  'inbound.automatic': 'Esta mensagem foi enviada automaticamente.',
  'response.subject': 'Chamado {ref}: resposta da nossa equipe de suporte',
  'response.body':
    '{first, select, yes {Esta é a nossa primeira resposta sobre o chamado {ref}, “{title}”:} other {Esta é uma atualização sobre o chamado {ref}, “{title}”:}}',
  caseLink: 'Ver o chamado no portal de suporte',
  'closed.openRelated': 'Abrir um chamado relacionado no portal de suporte',
  'explain.wall':
    'Como calculamos: {target}, a partir do momento em que você abriu o chamado ({openedAt}); mudanças de horário no fuso {zone} não adicionam nem removem tempo.',
  'explain.business':
    'Como calculamos: {target}; conta apenas o seu horário de cobertura ({hours}, fuso horário {zone}), a partir de {startsAt}.',
  'explain.closedDays': 'Dias não contados (feriados ou fechamentos): {days}.',
};
