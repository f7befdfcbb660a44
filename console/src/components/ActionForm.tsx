/**
 * One case action as a form: POSTs its fields to /v1/cases/{id}/{path}; the workflow's answer refreshes the
 * case, its refusal (409 problem+json) is shown as it came. No rule is checked here: the workflow decides.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { useI18n } from '../i18n';
import { api } from '../server-api/client';
import { AttachmentUpload } from './AttachmentUpload';
import { ProblemAlert } from './ProblemAlert';

/** Shown (and sent) only while another field has this value, e.g. the out-of-scope category of a referral. */
interface Condition {
  when?: { field: string; equals: string };
}

export type Field = Condition &
  (
    | { name: string; label: string; kind: 'text' | 'textarea'; required?: boolean; initial?: string; asNumber?: boolean }
    | {
        name: string;
        label: string;
        kind: 'select';
        options: { value: string; label: string }[];
        required?: boolean;
        initial?: string;
        asNumber?: boolean;
      }
    | { name: string; label: string; kind: 'boolean'; initial?: boolean }
  );

export interface ActionSpec {
  /** The command (as the API names it in a case's `actions`). */
  command: string;
  path: string;
  title: string;
  submit: string;
  fields: Field[];
  /** Fixed body fields (e.g. accepted: true). */
  fixed?: Record<string, unknown>;
  /** Files may come with it (uploaded with tus, sent as `attachmentIds`): replies and internal notes. */
  attachments?: boolean;
}

const CASE_QUERIES = new Set(['case', 'case-events', 'case-notifications', 'case-attachments']);

export function ActionForm({ caseId, spec, onDone }: { caseId: string; spec: ActionSpec; onDone?: () => void }) {
  const id = useId();
  const { t } = useI18n();
  const client = useQueryClient();
  const initial = () =>
    Object.fromEntries(spec.fields.map((f) => [f.name, f.kind === 'boolean' ? (f.initial ?? false) : (f.initial ?? '')]));
  const [values, setValues] = useState<Record<string, string | boolean>>(initial);
  // Finished uploads to send along, whether one is still under way, and a key that empties the uploader.
  const [files, setFiles] = useState<{ ids: string[]; busy: boolean }>({ ids: [], busy: false });
  const [uploader, setUploader] = useState(0);
  const onFiles = useCallback((ids: string[], busy: boolean) => setFiles({ ids, busy }), []);
  const mutation = useMutation({
    mutationFn: (body: Record<string, unknown>) => api(`/v1/cases/${caseId}/${spec.path}`, { method: 'POST', body }),
    onSuccess: () => {
      setValues(initial());
      setUploader((n) => n + 1);
      // The case page's queries (keyed by id or number; only the one on screen refetches); lists and
      // reports follow through the live stream.
      void client.invalidateQueries({ predicate: ({ queryKey: [kind] }) => CASE_QUERIES.has(String(kind)) });
      onDone?.();
    },
  });

  const shown = (f: Field) => !f.when || values[f.when.field] === f.when.equals;

  function submit(e: FormEvent) {
    e.preventDefault();
    const body: Record<string, unknown> = { ...spec.fixed };
    for (const f of spec.fields.filter(shown)) {
      const v = values[f.name];
      if (f.kind === 'boolean') body[f.name] = v;
      else if (v !== '') body[f.name] = f.asNumber ? Number(v) : v;
    }
    if (files.ids.length > 0) body.attachmentIds = files.ids;
    mutation.mutate(body);
  }

  const headingId = `${id}-title`;
  return (
    <form className="action" onSubmit={submit} aria-labelledby={headingId} data-action={spec.path} data-command={spec.command}>
      <h3 id={headingId}>{spec.title}</h3>
      {spec.fields.filter(shown).map((f) => {
        const fid = `${id}-${f.name}`;
        const set = (v: string | boolean) => setValues((prev) => ({ ...prev, [f.name]: v }));
        if (f.kind === 'boolean')
          return (
            <div key={f.name} className="field checkbox">
              <input id={fid} type="checkbox" checked={values[f.name] as boolean} onChange={(e) => set(e.target.checked)} />
              <label htmlFor={fid}>{f.label}</label>
            </div>
          );
        return (
          <div key={f.name} className="field">
            <label htmlFor={fid}>{f.label}</label>
            {f.kind === 'select' ? (
              <select id={fid} value={values[f.name] as string} required={f.required} onChange={(e) => set(e.target.value)}>
                {/* A required choice not made yet shows as none (the browser would show the first option, unsent). */}
                {(!f.required || values[f.name] === '') && (
                  <option value="" disabled={f.required}>
                    —
                  </option>
                )}
                {f.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            ) : f.kind === 'textarea' ? (
              <textarea id={fid} value={values[f.name] as string} required={f.required} rows={2} onChange={(e) => set(e.target.value)} />
            ) : (
              <input id={fid} value={values[f.name] as string} required={f.required} onChange={(e) => set(e.target.value)} />
            )}
          </div>
        );
      })}
      {spec.attachments && <AttachmentUpload key={uploader} caseId={caseId} onChange={onFiles} />}
      <button type="submit" disabled={mutation.isPending || files.busy}>
        {mutation.isPending ? '…' : spec.submit}
      </button>
      {mutation.isSuccess && (
        <p className="ok" role="status">
          {t.actionDone}
        </p>
      )}
      <ProblemAlert error={mutation.error} />
    </form>
  );
}
