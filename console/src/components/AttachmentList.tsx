/**
 * The case's files (GET /v1/cases/{id}/attachments; files on internal notes only for staff, as the API
 * decides): name, size, type, SHA-256 (shortened, the full value in the title), who, when and how (mail,
 * console, API); and, in the timeline, the files a reply or note brought. A download asks for a short-lived
 * signed link (POST .../links) and lets the browser fetch it: the bearer token never goes into a URL, and
 * the API answers `Content-Disposition: attachment` with a sandboxing CSP, so no file renders in the
 * console's origin.
 */
import { useMutation, useQuery } from '@tanstack/react-query';
import { api } from '../server-api/client';
import type { Attachment, AttachmentLink } from '../server-api/types';
import { formatInstant } from '../format';
import { useI18n } from '../i18n';
import { ProblemAlert } from './ProblemAlert';
import { labelCells } from './cellLabels';

/** "512 B", "3.2 MB", "1.5 GB" (decimal units, as file managers show them), in the locale's digits. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let u = 0;
  while (value >= 1000 && u < units.length - 1) {
    value /= 1000;
    u++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[u],
    unitDisplay: 'short',
    maximumFractionDigits: u === 0 ? 0 : 1,
  }).format(value);
}

export const attachmentsQueryKey = (caseId: string) => ['case-attachments', caseId];

export function useAttachments(caseId: string) {
  return useQuery({
    queryKey: attachmentsQueryKey(caseId),
    queryFn: () => api<{ items: Attachment[] }>(`/v1/cases/${caseId}/attachments`),
  });
}

/** Download: a signed link, followed by the browser as a download (never opened in this origin). */
function DownloadButton({ caseId, file }: { caseId: string; file: { id: string; name: string } }) {
  const { t } = useI18n();
  const link = useMutation({
    mutationFn: () => api<AttachmentLink>(`/v1/cases/${caseId}/attachments/${file.id}/links`, { method: 'POST' }),
    onSuccess: ({ url }) => {
      const a = document.createElement('a');
      a.href = url;
      a.download = file.name;
      a.rel = 'noopener';
      document.body.appendChild(a);
      a.click();
      a.remove();
    },
  });
  return (
    <>
      <button
        type="button"
        className="link"
        onClick={() => link.mutate()}
        disabled={link.isPending}
        aria-label={`${t.download} ${file.name}`}
      >
        {t.download}
      </button>
      <ProblemAlert error={link.error} />
    </>
  );
}

const shortHash = (sha256: string) => `${sha256.slice(0, 12)}…`;

export function AttachmentList({ caseId }: { caseId: string }) {
  const { t, lang } = useI18n();
  const list = useAttachments(caseId);
  const items = list.data?.items ?? [];
  return (
    <section aria-labelledby="attachments-h" className="attachments">
      <h2 id="attachments-h">{t.attachments}</h2>
      <ProblemAlert error={list.error} />
      {items.length === 0 ? (
        <p className="muted">{list.isLoading ? '…' : t.noAttachments}</p>
      ) : (
        <table data-testid="attachment-list" className="list-table" ref={labelCells}>
          <thead>
            <tr>
              <th scope="col">{t.fileName}</th>
              <th scope="col">{t.fileSize}</th>
              <th scope="col">{t.fileType}</th>
              <th scope="col">SHA-256</th>
              <th scope="col">{t.uploadedBy}</th>
              <th scope="col">{t.uploadedAt}</th>
              <th scope="col">{t.via}</th>
              <th scope="col">
                <span className="sr-only">{t.download}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-attachment={a.id} data-sha256={a.sha256}>
                <td>
                  {a.name}
                  {a.internal && <span className="badge"> {t.internalFile}</span>}
                </td>
                <td data-size={a.size}>{formatBytes(a.size, lang)}</td>
                <td>{a.contentType}</td>
                <td>
                  <code title={a.sha256}>{shortHash(a.sha256)}</code>
                </td>
                <td>{a.uploadedBy}</td>
                <td>
                  <time dateTime={a.uploadedAt}>{formatInstant(a.uploadedAt, lang)}</time>
                </td>
                <td>{t.viaLabels[a.via] ?? a.via}</td>
                <td>
                  <DownloadButton caseId={caseId} file={a} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

interface RecordedFile {
  id?: string;
  name: string;
  size: number;
  sha256?: string;
}

/** The files an audit event (a reply or note) recorded: `data.attachments` as the workflow keeps them. */
export function EventAttachments({ caseId, data }: { caseId: string; data: Record<string, unknown> }) {
  const { t, lang } = useI18n();
  const files = Array.isArray(data.attachments) ? (data.attachments as RecordedFile[]) : [];
  if (files.length === 0) return null;
  return (
    <ul className="event-attachments" aria-label={t.attachments}>
      {files.map((f, n) => (
        <li key={f.id ?? `${f.name}-${n}`} data-attachment={f.id}>
          <span aria-hidden="true">📎</span> {f.name} ({formatBytes(f.size, lang)})
          {f.sha256 && <code title={f.sha256}> {shortHash(f.sha256)}</code>}{' '}
          {f.id && <DownloadButton caseId={caseId} file={{ id: f.id, name: f.name }} />}
        </li>
      ))}
    </ul>
  );
}
