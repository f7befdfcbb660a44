import type { Catalog } from './en';

export const de: Catalog = {
  greeting: 'Hallo {name},',
  signoff: 'Mit freundlichen Grüßen',
  team: 'Ihr Support-Team',
  replyHint:
    'Um zu antworten, antworten Sie einfach auf diese E-Mail und lassen Sie {ref} im Betreff stehen: Ihre Antwort wird dem Fall hinzugefügt.',
  'received.subject': 'Fall {ref} eingegangen: {title}',
  'received.body': 'Vielen Dank für Ihre Anfrage. Wir haben den Fall {ref} „{title}“ eröffnet.',
  'received.due':
    'Unsere erste Antwort erhalten Sie spätestens am {dueWeekday, select, 1 {Montag} 2 {Dienstag} 3 {Mittwoch} 4 {Donnerstag} 5 {Freitag} 6 {Samstag} other {Sonntag}}, {dueDate}: {target}.',
  'received.target':
    '{unit, select, minute {{amount, plural, one {# Minute} other {# Minuten}}} hour {{amount, plural, one {# Stunde} other {# Stunden}}} other {{amount, plural, one {# Geschäftstag} other {# Geschäftstage}}}} {clock, select, wall {rund um die Uhr gerechnet} other {innerhalb Ihrer Geschäftszeiten gerechnet}}',
  'received.noDue':
    '{kind, select, best_effort {Ihr Support-Programm arbeitet nach bestem Bemühen: Wir antworten so schnell wie möglich, jedoch ohne garantierte Reaktionszeit.} other {Für diese Art von Fall gibt es keine Reaktionszeit: Wir antworten so schnell wie möglich.}}',
  'infoRequest.subject': 'Fall {ref}: Wir benötigen Informationen von Ihnen',
  'infoRequest.body': 'Um die Arbeit an Fall {ref} „{title}“ fortzusetzen, benötigen wir Folgendes von Ihnen:',
  'infoRequest.schedule':
    'Wenn wir nichts von Ihnen hören, melden wir uns {of, plural, one {an # Geschäftstag} other {an # verschiedenen Geschäftstagen}} erneut; ohne Antwort wird der Fall am {closesAt} geschlossen.',
  'attempt.subject': 'Fall {ref}: Wir warten auf Ihre Antwort (Versuch {attempt} von {of})',
  'attempt.body':
    'Dies ist Versuch {attempt} von {of}, Sie wegen Fall {ref} „{title}“ zu erreichen. Wir benötigen weiterhin Ihre Antwort, um fortfahren zu können:',
  'attempt.remaining':
    '{remaining, plural, =0 {Dies ist unser letzter Versuch.} one {Wir versuchen es am nächsten Geschäftstag noch einmal.} other {Wir versuchen es noch #-mal, einmal pro Geschäftstag.}}',
  'attempt.closes': 'Wenn wir nichts von Ihnen hören, wird der Fall am {closesAt} geschlossen.',
  'resolved.subject': 'Fall {ref} gelöst: {title}',
  'resolved.body': 'Wir haben eine Lösung für Fall {ref} „{title}“ vorgeschlagen:',
  'resolved.confirm':
    'Bitte bestätigen Sie, dass damit Ihr Problem gelöst ist, oder antworten Sie, falls nicht: Eine Antwort öffnet den Fall wieder. Ohne Antwort wird der Fall am {autoCloseAt} geschlossen.',
  'closed.subject': 'Fall {ref} geschlossen: {title}',
  'closed.body':
    '{reason, select, no_customer_response {Wir haben {attempts, plural, one {an # Geschäftstag} other {an # verschiedenen Geschäftstagen}} versucht, Sie zu erreichen, leider ohne Antwort. Daher ist der Fall {ref} jetzt geschlossen.} confirmed {Sie haben die Lösung bestätigt, daher ist der Fall {ref} jetzt geschlossen.} customer_request {Der Fall {ref} wurde auf Ihren Wunsch geschlossen.} resolution_timeout {Nach unserem Lösungsvorschlag haben wir nichts mehr von Ihnen gehört, daher ist der Fall {ref} jetzt geschlossen.} support {Unser Support-Team hat den Fall {ref} geschlossen.} other {Der Fall {ref} ist jetzt geschlossen.}}',
  'closed.related':
    'Antworten auf diese E-Mail werden einem geschlossenen Fall nicht hinzugefügt. Wenn das Problem weiterhin besteht oder wieder auftritt, eröffnen Sie einen neuen Fall im Support-Portal: Der Link unten gibt {ref} als zugehörigen Fall an, damit wir dort weitermachen, wo wir aufgehört haben.',
  'rca.subject': 'Fall {ref}: Ursachenanalyse',
  'rca.body': 'Die Ursachenanalyse für Fall {ref} „{title}“ liegt vor:',
  'managerAck.subject': 'Fall {ref}: Ihr Wunsch, mit einer Führungskraft zu sprechen',
  'managerAck.body':
    'Wir haben Ihren Wunsch erhalten, über Fall {ref} „{title}“ mit einer Führungskraft zu sprechen. Eine Führungskraft meldet sich spätestens am {ackDueAt} bei Ihnen.',
  'inboundClosed.subject': 'Fall {ref} ist geschlossen: Ihre Nachricht wurde nicht hinzugefügt',
  'inboundClosed.body': 'Fall {ref} „{title}“ ist geschlossen, daher wurde Ihre Nachricht nicht hinzugefügt.',
  'inboundRejected.subject': 'Fall {ref}: Ihre Nachricht wurde nicht hinzugefügt',
  'inboundRejected.body':
    'Wir konnten Ihre Nachricht derzeit nicht zu Fall {ref} „{title}“ hinzufügen. Bitte antworten Sie im Support-Portal oder rufen Sie uns an.',
  'inbound.automatic': 'Diese Nachricht wurde automatisch versendet.',
  'response.subject': 'Fall {ref}: Antwort unseres Support-Teams',
  'response.body':
    '{first, select, yes {Hier ist unsere erste Antwort zu Fall {ref} „{title}“:} other {Hier ist ein Update zu Fall {ref} „{title}“:}}',
  caseLink: 'Fall im Support-Portal ansehen',
  'closed.openRelated': 'Zugehörigen Fall im Support-Portal eröffnen',
  'explain.wall':
    'So haben wir das berechnet: {target}, ab dem Zeitpunkt, zu dem Sie den Fall eröffnet haben ({openedAt}); Zeitumstellungen in der Zeitzone {zone} verlängern oder verkürzen nichts.',
  'explain.business':
    'So haben wir das berechnet: {target}, beginnend am {startsAt}; es zählen nur Ihre Servicezeiten ({hours}, Zeitzone {zone}).',
  'explain.closedDays': 'Nicht mitgezählt (Feiertage oder Schließtage): {days}.',
};
