import type { Catalog } from './en';

export const fr: Catalog = {
  greeting: 'Bonjour {name},',
  signoff: 'Cordialement,',
  team: 'Votre équipe de support',
  replyHint: 'Pour répondre, répondez simplement à cet e-mail en gardant {ref} dans l’objet : votre réponse sera ajoutée au dossier.',
  'received.subject': 'Dossier {ref} reçu : {title}',
  'received.body': 'Merci de nous avoir contactés. Nous avons ouvert le dossier {ref}, « {title} ».',
  'received.due':
    'Notre première réponse vous parviendra au plus tard le {dueWeekday, select, 1 {lundi} 2 {mardi} 3 {mercredi} 4 {jeudi} 5 {vendredi} 6 {samedi} other {dimanche}} {dueDate} : {target}.',
  'received.target':
    '{unit, select, minute {{amount, plural, one {# minute} other {# minutes}}} hour {{amount, plural, one {# heure} other {# heures}}} other {{amount, plural, one {# jour ouvré} other {# jours ouvrés}}}} ({clock, select, wall {décompte 24 h/24} other {décompte pendant vos heures ouvrées}})',
  'received.noDue':
    '{kind, select, best_effort {Votre programme de support fonctionne au mieux : nous répondons dès que possible, sans délai de réponse garanti.} other {Ce type de dossier n’a pas de délai de réponse : nous répondons dès que possible.}}',
  'infoRequest.subject': 'Dossier {ref} : nous avons besoin d’informations',
  'infoRequest.body': 'Pour poursuivre le traitement du dossier {ref}, « {title} », nous avons besoin des éléments suivants :',
  'infoRequest.schedule':
    'Sans nouvelles de votre part, nous vous recontacterons {of, plural, one {sur # jour ouvré} other {sur # jours ouvrés distincts}} ; sans réponse, le dossier sera clôturé le {closesAt}.',
  'attempt.subject': 'Dossier {ref} : nous attendons votre réponse (tentative {attempt} sur {of})',
  'attempt.body':
    'Ceci est la tentative {attempt} sur {of} pour vous joindre au sujet du dossier {ref}, « {title} ». Nous avons toujours besoin de votre réponse pour continuer :',
  'attempt.remaining':
    '{remaining, plural, =0 {Ceci est notre dernière tentative.} one {Nous réessaierons une fois le prochain jour ouvré.} other {Nous réessaierons encore # fois, une fois par jour ouvré.}}',
  'attempt.closes': 'Sans nouvelles de votre part, le dossier sera clôturé le {closesAt}.',
  'resolved.subject': 'Dossier {ref} résolu : {title}',
  'resolved.body': 'Nous avons proposé une solution pour le dossier {ref}, « {title} » :',
  'resolved.confirm':
    'Merci de confirmer qu’elle résout votre problème, ou de nous répondre dans le cas contraire : une réponse rouvre le dossier. Sans réponse, le dossier sera clôturé le {autoCloseAt}.',
  'closed.subject': 'Dossier {ref} clôturé : {title}',
  'closed.body':
    '{reason, select, no_customer_response {Nous avons tenté de vous joindre {attempts, plural, one {pendant # jour ouvré} other {sur # jours ouvrés distincts}} sans réponse ; le dossier {ref} est donc clôturé.} confirmed {Vous avez confirmé la solution ; le dossier {ref} est donc clôturé.} customer_request {Le dossier {ref} a été clôturé à votre demande.} resolution_timeout {Nous n’avons pas eu de retour après la solution proposée ; le dossier {ref} est donc clôturé.} support {Notre équipe de support a clos le dossier {ref}.} other {Le dossier {ref} est maintenant clôturé.}}',
  'closed.related':
    'Les réponses à cet e-mail ne sont pas ajoutées à un dossier clos. Si le problème persiste ou réapparaît, ouvrez un nouveau dossier sur le portail de support : le lien ci-dessous indique {ref} comme dossier lié, afin que nous reprenions là où nous nous étions arrêtés.',
  'rca.subject': 'Dossier {ref} : analyse des causes',
  'rca.body': 'L’analyse des causes du dossier {ref}, « {title} », est disponible :',
  'managerAck.subject': 'Dossier {ref} : votre demande de parler à un responsable',
  'managerAck.body':
    'Nous avons bien reçu votre demande de parler à un responsable au sujet du dossier {ref}, « {title} ». Un responsable vous contactera au plus tard le {ackDueAt}.',
  'inboundClosed.subject': 'Le dossier {ref} est clos : votre message n’a pas été ajouté',
  'inboundClosed.body': 'Le dossier {ref}, « {title} », est clos : votre message n’y a donc pas été ajouté.',
  'inboundRejected.subject': 'Dossier {ref} : votre message n’a pas été ajouté',
  'inboundRejected.body':
    'Nous n’avons pas pu ajouter votre message au dossier {ref}, « {title} », pour le moment. Veuillez répondre sur le portail de support ou nous appeler.',
  'inbound.automatic': 'Ce message a été envoyé automatiquement.',
  'response.subject': 'Dossier {ref} : réponse de notre équipe de support',
  'response.body':
    '{first, select, yes {Voici notre première réponse concernant le dossier {ref}, « {title} » :} other {Voici une mise à jour concernant le dossier {ref}, « {title} » :}}',
  caseLink: 'Voir le dossier sur le portail de support',
  'closed.openRelated': 'Ouvrir un dossier lié sur le portail de support',
  'explain.wall':
    'Notre calcul : {target}, à partir de l’ouverture du dossier ({openedAt}) ; les changements d’heure dans le fuseau {zone} n’ajoutent ni n’enlèvent rien.',
  'explain.business':
    'Notre calcul : {target} ; seules vos heures de couverture comptent ({hours}, fuseau {zone}), à partir du {startsAt}.',
  'explain.closedDays': 'Jours non comptés (jours fériés ou fermetures) : {days}.',
};
