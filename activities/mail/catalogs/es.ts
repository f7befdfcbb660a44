import type { Catalog } from './en';

export const es: Catalog = {
  greeting: 'Hola, {name}:',
  signoff: 'Atentamente,',
  team: 'Su equipo de soporte',
  replyHint: 'Para responder, conteste a este correo y mantenga {ref} en el asunto: su respuesta se añadirá al caso.',
  'received.subject': 'Caso {ref} recibido: {title}',
  'received.body': 'Gracias por contactar con nosotros. Hemos abierto el caso {ref}, «{title}».',
  'received.due':
    'Nuestra primera respuesta vence el {dueWeekday, select, 1 {lunes} 2 {martes} 3 {miércoles} 4 {jueves} 5 {viernes} 6 {sábado} other {domingo}}, {dueDate}: {target}.',
  'received.target':
    '{unit, select, minute {{amount, plural, one {# minuto} other {# minutos}}} hour {{amount, plural, one {# hora} other {# horas}}} other {{amount, plural, one {# día laborable} other {# días laborables}}}} ({clock, select, wall {cómputo las 24 horas} other {cómputo en su horario laboral}})',
  'received.noDue':
    '{kind, select, best_effort {Su programa de soporte funciona según disponibilidad: respondemos lo antes posible, sin un tiempo de respuesta garantizado.} other {Este tipo de caso no tiene un tiempo de respuesta objetivo: respondemos lo antes posible.}}',
  'infoRequest.subject': 'Caso {ref}: necesitamos información de usted',
  'infoRequest.body': 'Para seguir trabajando en el caso {ref}, «{title}», necesitamos lo siguiente:',
  'infoRequest.schedule':
    'Si no recibimos noticias suyas, volveremos a contactarle {of, plural, one {durante # día laborable} other {en # días laborables distintos}}; sin respuesta, el caso se cerrará el {closesAt}.',
  'attempt.subject': 'Caso {ref}: esperamos su respuesta (intento {attempt} de {of})',
  'attempt.body':
    'Este es el intento {attempt} de {of} de contactarle sobre el caso {ref}, «{title}». Seguimos necesitando su respuesta para continuar:',
  'attempt.remaining':
    '{remaining, plural, =0 {Este es nuestro último intento.} one {Lo intentaremos una vez más el próximo día laborable.} other {Lo intentaremos # veces más, una por día laborable.}}',
  'attempt.closes': 'Si no recibimos noticias suyas, el caso se cerrará el {closesAt}.',
  'resolved.subject': 'Caso {ref} resuelto: {title}',
  'resolved.body': 'Hemos propuesto una solución para el caso {ref}, «{title}»:',
  'resolved.confirm':
    'Confirme que resuelve su problema o responda si no es así: una respuesta reabre el caso. Sin respuesta, el caso se cerrará el {autoCloseAt}.',
  'closed.subject': 'Caso {ref} cerrado: {title}',
  'closed.body':
    '{reason, select, no_customer_response {Intentamos contactarle {attempts, plural, one {durante # día laborable} other {en # días laborables distintos}} sin obtener respuesta, por lo que el caso {ref} queda cerrado.} confirmed {Ha confirmado la solución, por lo que el caso {ref} queda cerrado.} customer_request {El caso {ref} se ha cerrado a petición suya.} resolution_timeout {No recibimos respuesta tras la solución propuesta, por lo que el caso {ref} queda cerrado.} support {Nuestro equipo de soporte ha cerrado el caso {ref}.} other {El caso {ref} queda cerrado.}}',
  'closed.related':
    'Las respuestas a este correo no se añaden a un caso cerrado. Si el problema continúa o vuelve a aparecer, abra un caso nuevo en el portal de soporte: el enlace de abajo indica {ref} como caso relacionado, para que continuemos donde lo dejamos.',
  'rca.subject': 'Caso {ref}: análisis de causa raíz',
  'rca.body': 'El análisis de causa raíz del caso {ref}, «{title}», está listo:',
  'managerAck.subject': 'Caso {ref}: su solicitud de hablar con un responsable',
  'managerAck.body':
    'Hemos recibido su solicitud de hablar con un responsable sobre el caso {ref}, «{title}». Un responsable se pondrá en contacto con usted a más tardar el {ackDueAt}.',
  'inboundClosed.subject': 'El caso {ref} está cerrado: su mensaje no se ha añadido',
  'inboundClosed.body': 'El caso {ref}, «{title}», está cerrado, por lo que su mensaje no se ha añadido.',
  'inboundRejected.subject': 'Caso {ref}: su mensaje no se ha añadido',
  'inboundRejected.body':
    'No hemos podido añadir su mensaje al caso {ref}, «{title}», en este momento. Responda en el portal de soporte o llámenos.',
  'inbound.automatic': 'Este mensaje se ha enviado automáticamente.',
  'response.subject': 'Caso {ref}: respuesta de nuestro equipo de soporte',
  'response.body':
    '{first, select, yes {Esta es nuestra primera respuesta sobre el caso {ref}, «{title}»:} other {Esta es una actualización sobre el caso {ref}, «{title}»:}}',
  caseLink: 'Ver el caso en el portal de soporte',
  'closed.openRelated': 'Abrir un caso relacionado en el portal de soporte',
  'explain.wall':
    'Cómo lo hemos calculado: {target}, desde el momento en que abrió el caso ({openedAt}); los cambios de hora en la zona {zone} no añaden ni quitan tiempo.',
  'explain.business':
    'Cómo lo hemos calculado: {target}; solo cuenta su horario de cobertura ({hours}, zona horaria {zone}), a partir del {startsAt}.',
  'explain.closedDays': 'Días que no se cuentan (festivos o cierres): {days}.',
};
