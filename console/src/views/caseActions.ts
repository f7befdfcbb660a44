/**
 * The form of each case action. Which ones a case page shows is the API's answer, not a role table here:
 * GET /v1/cases/{id} lists in `actions` the commands the caller may take now, and the page renders exactly
 * those forms. Whether a submitted action fits, the workflow still says (a 409 shows its reason).
 */
import type { ActionSpec } from '../components/ActionForm';
import type { paths } from '../server-api/openapi';
import type { CaseAction, Me, OutOfScopeCategory, ResolutionType } from '../server-api/types';
import type { I18n } from '../i18n';

/** The route of an action below /v1/cases/{id}/ (checked against the generated API paths). */
type ActionPath = { [P in keyof paths]: P extends `/v1/cases/{id}/${infer A}` ? A : never }[keyof paths];

/**
 * Every command's route (as api/routes/case-actions.ts maps them), in the order the forms appear: the usual
 * next step first. The compiler refuses a command without one.
 */
export const ACTION_PATHS: Record<CaseAction, ActionPath> = {
  assign: 'assignment',
  engineerResponse: 'responses',
  internalNote: 'internal-notes',
  requestInfo: 'information-requests',
  customerReply: 'replies',
  resolve: 'resolution',
  confirmResolution: 'confirmation',
  pageAck: 'page-acknowledgement',
  managerAck: 'manager-acknowledgements',
  talkToManager: 'manager-requests',
  rcaDelivered: 'rca',
  changeSeverity: 'severity',
  customerAvailability: 'availability',
  closeCase: 'close',
  migratePolicy: 'policy-migration',
};
const ORDER = Object.keys(ACTION_PATHS) as CaseAction[];

const RESOLUTION_TYPES: ResolutionType[] = [
  'workaround',
  'configuration_change',
  'hotfix',
  'upgrade',
  'documentation',
  'third_party_referral',
  'defect_fixed_in_later_release',
  'out_of_scope_referral',
];

const OUT_OF_SCOPE: OutOfScopeCategory[] = [
  'solution_design',
  'architecture_review',
  'product_training',
  'installation_walkthrough',
  'upgrade_walkthrough',
];

const levelField = (scheme: 'severity' | 'priority', label: string, { t, f }: I18n) =>
  scheme === 'priority'
    ? {
        name: 'priority',
        label,
        kind: 'select' as const,
        required: true,
        options: ['P1', 'P2', 'P3', 'P4'].map((p) => ({ value: p, label: p })),
      }
    : {
        name: 'severity',
        label,
        kind: 'select' as const,
        required: true,
        asNumber: true,
        options: [1, 2, 3, 4].map((s) => ({ value: String(s), label: f(t.levelName, { scheme: 'severity', level: s }) })),
      };

/** The forms of one action (confirming a resolution has two: confirm and reject), in the page's language. */
function formsOf(action: CaseAction, me: Me, scheme: 'severity' | 'priority', i18n: I18n): Omit<ActionSpec, 'path' | 'command'>[] {
  const { t } = i18n;
  const title = t.commands[action];
  switch (action) {
    case 'assign':
      return [
        {
          title,
          submit: t.assignSubmit,
          fields: [
            // A prefill, not a rule: an engineer usually takes the case himself.
            { name: 'ownerId', label: t.engineerId, kind: 'text', required: true, initial: me.role === 'engineer' ? me.id : '' },
            { name: 'note', label: t.note, kind: 'text' },
          ],
        },
      ];
    case 'engineerResponse':
      return [{ title, submit: t.sendResponse, fields: [{ name: 'message', label: t.response, kind: 'textarea', required: true }] }];
    case 'internalNote':
      return [
        {
          title,
          submit: t.addNote,
          attachments: true,
          fields: [{ name: 'message', label: t.internalNoteLabel, kind: 'textarea', required: true }],
        },
      ];
    case 'requestInfo':
      return [{ title, submit: title, fields: [{ name: 'message', label: t.whatDoYouNeed, kind: 'textarea', required: true }] }];
    case 'customerReply':
      return [
        { title, submit: t.send, attachments: true, fields: [{ name: 'message', label: t.message, kind: 'textarea', required: true }] },
      ];
    case 'resolve':
      return [
        {
          title,
          submit: title,
          fields: [
            {
              name: 'resolutionType',
              label: t.resolutionType,
              kind: 'select',
              required: true,
              initial: 'workaround',
              options: RESOLUTION_TYPES.map((r) => ({ value: r, label: t.resolutionTypes[r] })),
            },
            {
              name: 'outOfScope',
              label: t.outOfScopeRequest,
              kind: 'select',
              required: true,
              initial: OUT_OF_SCOPE[0],
              options: OUT_OF_SCOPE.map((c) => ({ value: c, label: t.outOfScope[c] })),
              when: { field: 'resolutionType', equals: 'out_of_scope_referral' },
            },
            { name: 'summary', label: t.summary, kind: 'textarea', required: true },
          ],
        },
      ];
    case 'confirmResolution':
      return [
        { title: t.confirm, submit: t.confirm, fixed: { accepted: true }, fields: [{ name: 'comment', label: t.comment, kind: 'text' }] },
        { title: t.reject, submit: t.reject, fixed: { accepted: false }, fields: [{ name: 'comment', label: t.comment, kind: 'text' }] },
      ];
    case 'pageAck':
      return [{ title, submit: t.acknowledgePage, fields: [{ name: 'note', label: t.note, kind: 'text' }] }];
    case 'managerAck':
      return [{ title, submit: t.acknowledge, fields: [{ name: 'note', label: t.note, kind: 'text' }] }];
    case 'talkToManager':
      return [{ title, submit: t.send, fields: [{ name: 'reason', label: t.reason, kind: 'textarea', required: true }] }];
    case 'rcaDelivered':
      return [{ title, submit: t.recordRca, fields: [{ name: 'summary', label: t.rcaSummary, kind: 'textarea', required: true }] }];
    case 'changeSeverity': {
      const change = scheme === 'priority' ? t.changePriority : t.changeSeverity;
      return [
        {
          title: change,
          submit: change,
          fields: [
            levelField(scheme, scheme === 'priority' ? t.priority : t.severity, i18n),
            { name: 'reason', label: t.reason, kind: 'textarea', required: true },
          ],
        },
      ];
    }
    case 'customerAvailability':
      return [{ title, submit: t.send, fields: [{ name: 'available', label: t.available, kind: 'boolean', initial: true }] }];
    case 'closeCase':
      return [{ title, submit: title, fields: [{ name: 'reason', label: t.reason, kind: 'text' }] }];
    case 'migratePolicy':
      // Administrators move one case to a published version here; many at once go through a previewed migration.
      return [
        {
          title,
          submit: t.migrate,
          fields: [{ name: 'toVersion', label: t.publishedVersion, kind: 'text', required: true, asNumber: true }],
        },
      ];
  }
}

/** The forms of exactly the actions the API offers (`actions` of GET /v1/cases/{id}), in a stable order. */
export function actionForms(offered: readonly string[], me: Me, scheme: 'severity' | 'priority', i18n: I18n): ActionSpec[] {
  const wanted = new Set(offered);
  return ORDER.filter((a) => wanted.has(a)).flatMap((a) =>
    formsOf(a, me, scheme, i18n).map((form) => ({ ...form, command: a, path: ACTION_PATHS[a] })),
  );
}
