import type { Catalog } from './en';

export const it: Catalog = {
  greeting: 'Gentile {name},',
  signoff: 'Cordiali saluti,',
  team: 'Il vostro team di supporto',
  replyHint: 'Per rispondere, risponda a questa e-mail mantenendo {ref} nell’oggetto: la sua risposta verrà aggiunta al caso.',
  'received.subject': 'Caso {ref} ricevuto: {title}',
  'received.body': 'Grazie per averci contattato. Abbiamo aperto il caso {ref}, «{title}».',
  'received.due':
    'La nostra prima risposta è prevista entro {dueWeekday, select, 1 {lunedì} 2 {martedì} 3 {mercoledì} 4 {giovedì} 5 {venerdì} 6 {sabato} other {domenica}} {dueDate}: {target}.',
  'received.target':
    '{unit, select, minute {{amount, plural, one {# minuto} other {# minuti}}} hour {{amount, plural, one {# ora} other {# ore}}} other {{amount, plural, one {# giorno lavorativo} other {# giorni lavorativi}}}} ({clock, select, wall {conteggio 24 ore su 24} other {conteggio nel vostro orario lavorativo}})',
  'received.noDue':
    '{kind, select, best_effort {Il vostro programma di supporto è di tipo best effort: rispondiamo il prima possibile, senza un tempo di risposta garantito.} other {Questo tipo di caso non ha un tempo di risposta previsto: rispondiamo il prima possibile.}}',
  'infoRequest.subject': 'Caso {ref}: ci servono informazioni da lei',
  'infoRequest.body': 'Per continuare a lavorare sul caso {ref}, «{title}», ci serve quanto segue:',
  'infoRequest.schedule':
    'Se non avremo sue notizie, la ricontatteremo {of, plural, one {per # giorno lavorativo} other {in # giorni lavorativi distinti}}; senza risposta il caso verrà chiuso il {closesAt}.',
  'attempt.subject': 'Caso {ref}: attendiamo la sua risposta (tentativo {attempt} di {of})',
  'attempt.body':
    'Questo è il tentativo {attempt} di {of} di contattarla riguardo al caso {ref}, «{title}». Ci serve ancora la sua risposta per proseguire:',
  'attempt.remaining':
    '{remaining, plural, =0 {Questo è il nostro ultimo tentativo.} one {Riproveremo ancora una volta il prossimo giorno lavorativo.} other {Riproveremo altre # volte, una per giorno lavorativo.}}',
  'attempt.closes': 'Se non avremo sue notizie, il caso verrà chiuso il {closesAt}.',
  'resolved.subject': 'Caso {ref} risolto: {title}',
  'resolved.body': 'Abbiamo proposto una soluzione per il caso {ref}, «{title}»:',
  'resolved.confirm':
    'Ci confermi che risolve il problema, oppure risponda se non è così: una risposta riapre il caso. Senza risposta il caso verrà chiuso il {autoCloseAt}.',
  'closed.subject': 'Caso {ref} chiuso: {title}',
  'closed.body':
    '{reason, select, no_customer_response {Abbiamo cercato di contattarla {attempts, plural, one {per # giorno lavorativo} other {in # giorni lavorativi distinti}} senza ricevere risposta, quindi il caso {ref} è ora chiuso.} confirmed {Ha confermato la soluzione, quindi il caso {ref} è ora chiuso.} customer_request {Il caso {ref} è stato chiuso su sua richiesta.} resolution_timeout {Non abbiamo ricevuto risposta dopo la soluzione proposta, quindi il caso {ref} è ora chiuso.} support {Il nostro team di supporto ha chiuso il caso {ref}.} other {Il caso {ref} è ora chiuso.}}',
  'closed.related':
    'Le risposte a questa e-mail non vengono aggiunte a un caso chiuso. Se il problema persiste o si ripresenta, apra un nuovo caso nel portale di supporto: il link qui sotto indica {ref} come caso correlato, così riprendiamo da dove ci eravamo fermati.',
  'rca.subject': 'Caso {ref}: analisi della causa principale',
  'rca.body': 'L’analisi della causa principale del caso {ref}, «{title}», è pronta:',
  'managerAck.subject': 'Caso {ref}: la sua richiesta di parlare con un responsabile',
  'managerAck.body':
    'Abbiamo ricevuto la sua richiesta di parlare con un responsabile riguardo al caso {ref}, «{title}». Un responsabile la contatterà entro il {ackDueAt}.',
  'inboundClosed.subject': 'Il caso {ref} è chiuso: il suo messaggio non è stato aggiunto',
  'inboundClosed.body': 'Il caso {ref}, «{title}», è chiuso, quindi il suo messaggio non è stato aggiunto.',
  'inboundRejected.subject': 'Caso {ref}: il suo messaggio non è stato aggiunto',
  'inboundRejected.body':
    'Al momento non è stato possibile aggiungere il suo messaggio al caso {ref}, «{title}». Risponda nel portale di supporto o ci chiami.',
  'inbound.automatic': 'Questo messaggio è stato inviato automaticamente.',
  'response.subject': 'Caso {ref}: risposta del nostro team di supporto',
  'response.body':
    '{first, select, yes {Ecco la nostra prima risposta sul caso {ref}, «{title}»:} other {Ecco un aggiornamento sul caso {ref}, «{title}»:}}',
  caseLink: 'Visualizza il caso nel portale di supporto',
  'closed.openRelated': 'Apri un caso correlato nel portale di supporto',
  'explain.wall':
    'Come lo abbiamo calcolato: {target}, dal momento in cui ha aperto il caso ({openedAt}); i cambi d’ora nel fuso {zone} non aggiungono né tolgono tempo.',
  'explain.business':
    'Come lo abbiamo calcolato: {target}; conta solo il suo orario di copertura ({hours}, fuso orario {zone}), a partire da {startsAt}.',
  'explain.closedDays': 'Giorni non conteggiati (festività o chiusure): {days}.',
};
