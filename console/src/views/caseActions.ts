/** Which action forms a role is offered (the API's role table); whether one fits the case, the workflow says. */
import type { ActionSpec } from '../components/ActionForm';
import type { Me } from '../server-api/types';
import type { Messages } from '../i18n';

const RESOLUTION_TYPES = [
  'workaround',
  'configuration_change',
  'hotfix',
  'upgrade',
  'documentation',
  'third_party_referral',
  'defect_fixed_in_later_release',
];

const levelField = (scheme: 'severity' | 'priority', label: string) =>
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
        options: [1, 2, 3, 4].map((s) => ({ value: String(s), label: String(s) })),
      };

export function actionsFor(me: Me, scheme: 'severity' | 'priority', currentLevel: number, t: Messages): ActionSpec[] {
  const severity: ActionSpec = {
    path: 'severity',
    title: t.changeSeverity,
    submit: t.changeSeverity,
    fields: [
      levelField(scheme, scheme === 'priority' ? t.priority : t.severity),
      { name: 'reason', label: t.reason, kind: 'textarea', required: true },
    ],
  };
  const availability: ActionSpec = {
    path: 'availability',
    title: t.availability,
    submit: t.send,
    fields: [{ name: 'available', label: t.available, kind: 'boolean', initial: true }],
  };
  const close: ActionSpec = { path: 'close', title: t.close, submit: t.close, fields: [{ name: 'reason', label: t.reason, kind: 'text' }] };

  if (me.role === 'engineer' || me.role === 'manager') {
    const staff: ActionSpec[] = [
      {
        path: 'assignment',
        title: 'Assign or hand off',
        submit: 'Assign',
        fields: [
          { name: 'ownerId', label: 'Engineer id', kind: 'text', required: true, initial: me.role === 'engineer' ? me.id : '' },
          { name: 'note', label: 'Note', kind: 'text' },
        ],
      },
      { path: 'responses', title: 'Respond', submit: 'Send response', fields: [{ name: 'message', label: 'Response', kind: 'textarea' }] },
      {
        path: 'information-requests',
        title: 'Request information',
        submit: 'Request information',
        fields: [{ name: 'message', label: 'What do you need?', kind: 'textarea', required: true }],
      },
      {
        path: 'resolution',
        title: 'Resolve',
        submit: 'Resolve',
        fields: [
          {
            name: 'resolutionType',
            label: 'Resolution type',
            kind: 'select',
            required: true,
            initial: 'workaround',
            options: RESOLUTION_TYPES.map((r) => ({ value: r, label: r.replace(/_/g, ' ') })),
          },
          { name: 'summary', label: 'Summary', kind: 'textarea', required: true },
        ],
      },
      severity,
      availability,
      close,
      {
        path: 'rca',
        title: 'Root-cause analysis delivered',
        submit: 'Record RCA',
        fields: [{ name: 'summary', label: 'RCA summary', kind: 'textarea', required: true }],
      },
      {
        path: 'page-acknowledgement',
        title: 'Acknowledge the Severity 1 page',
        submit: 'Acknowledge page',
        fields: [{ name: 'note', label: 'Note', kind: 'text' }],
      },
    ];
    if (me.role === 'manager')
      staff.push({
        path: 'manager-acknowledgements',
        title: 'Acknowledge manager request',
        submit: 'Acknowledge',
        fields: [{ name: 'note', label: 'Note', kind: 'text' }],
      });
    return staff;
  }
  if (me.role === 'admin') return [];
  return [
    { path: 'replies', title: t.reply, submit: t.send, fields: [{ name: 'message', label: t.message, kind: 'textarea', required: true }] },
    {
      path: 'confirmation',
      title: t.confirm,
      submit: t.confirm,
      fixed: { accepted: true },
      fields: [{ name: 'comment', label: t.comment, kind: 'text' }],
    },
    {
      path: 'confirmation',
      title: t.reject,
      submit: t.reject,
      fixed: { accepted: false },
      fields: [{ name: 'comment', label: t.comment, kind: 'text' }],
    },
    {
      path: 'manager-requests',
      title: t.talkToManager,
      submit: t.send,
      fields: [{ name: 'reason', label: t.reason, kind: 'textarea', required: true }],
    },
    availability,
    severity,
    close,
  ];
}
