/**
 * Files for a reply or an internal note (issue 18): dropped on the zone or picked, each uploaded with tus 1.0
 * (tus-js-client, the protocol's reference client) to POST /v1/cases/{id}/uploads, with a labelled <progress>,
 * a cancel that terminates the upload on the server (DELETE), and resume after a dropped connection: the
 * client retries with backoff, asks the server with HEAD how many bytes it holds (Upload-Offset) and sends
 * only the rest; when the retries run out, Resume does the same by hand. The last PATCH answers Attachment-Id;
 * the finished ids go to the form, which sends them as `attachmentIds`.
 */
import { useEffect, useId, useRef, useState, type DragEvent } from 'react';
import { Upload, type DetailedError, type HttpResponse } from 'tus-js-client';
import { authHeaders, reportUnauthorized } from '../server-api/client';
import { useI18n } from '../i18n';
import { formatBytes } from './AttachmentList';

/** Bytes per PATCH: large enough for few requests (and S3's 5 MiB part minimum), small enough to resume often. */
const CHUNK_BYTES = 8 * 1024 * 1024;
const RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10_000, 20_000];

type State = 'uploading' | 'reconnecting' | 'done' | 'failed' | 'cancelled';

interface Item {
  key: string;
  file: File;
  sent: number;
  state: State;
  attachmentId?: string;
  sha256?: string;
  error?: string;
}

/** The problem's detail of a refused tus request (problem+json), or the client's message. */
function reasonOf(err: Error | DetailedError): string {
  const res = (err as DetailedError).originalResponse;
  if (res) {
    try {
      const body = JSON.parse(res.getBody()) as { detail?: string };
      if (body.detail) return body.detail;
    } catch {
      // not JSON: the status below
    }
    return `HTTP ${res.getStatus()}`;
  }
  return err.message;
}

/** Like tus-js-client's default: retry unless the server refused the request (4xx other than 409 and 423). */
function retriable(err: DetailedError): boolean {
  const status = err.originalResponse?.getStatus() ?? 0;
  return !(status >= 400 && status < 500) || status === 409 || status === 423;
}

export function AttachmentUpload({
  caseId,
  onChange,
}: {
  caseId: string;
  /** The finished uploads' ids, and whether any is still under way (the form waits for it). */
  onChange: (attachmentIds: string[], busy: boolean) => void;
}) {
  const { t, lang } = useI18n();
  const id = useId();
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const uploads = useRef(new Map<string, Upload>());
  const counter = useRef(0);

  const update = (key: string, patch: Partial<Item>) => setItems((prev) => prev.map((i) => (i.key === key ? { ...i, ...patch } : i)));

  // The form hears of every change (it is the form's setter, stable across renders).
  useEffect(() => {
    const ids = items.flatMap((i) => (i.state === 'done' && i.attachmentId ? [i.attachmentId] : []));
    onChange(
      ids,
      items.some((i) => i.state === 'uploading' || i.state === 'reconnecting'),
    );
  }, [items, onChange]);

  // Leaving the page stops the transfers (the server's sweep removes what was never finished).
  useEffect(() => {
    const running = uploads.current;
    return () => {
      for (const u of running.values()) void u.abort(false);
    };
  }, []);

  function start(file: File) {
    const key = `f${counter.current++}`;
    const finish = (res: HttpResponse) =>
      update(key, {
        state: 'done',
        sent: file.size,
        attachmentId: res.getHeader('Attachment-Id') ?? undefined,
        sha256: res.getHeader('Attachment-Sha256') ?? undefined,
      });
    const upload = new Upload(file, {
      endpoint: `/v1/cases/${caseId}/uploads`,
      metadata: { filename: file.name, filetype: file.type || 'application/octet-stream', via: 'console' },
      chunkSize: CHUNK_BYTES,
      retryDelays: RETRY_DELAYS_MS,
      // A file's upload URL is remembered (per file, in localStorage) so a reload resumes it; a finished
      // upload forgets it.
      storeFingerprintForResuming: true,
      removeFingerprintOnSuccess: true,
      onBeforeRequest: (req) => {
        for (const [name, value] of Object.entries(authHeaders())) req.setHeader(name, value);
      },
      onProgress: (sent) => update(key, { sent, state: 'uploading' }),
      onShouldRetry: (err) => {
        const again = retriable(err);
        if (again) update(key, { state: 'reconnecting' });
        return again;
      },
      onSuccess: ({ lastResponse }) => finish(lastResponse),
      onError: (err) => {
        const status = (err as DetailedError).originalResponse?.getStatus();
        if (status === 401) reportUnauthorized({ type: 'about:blank', title: 'Unauthorized', status, detail: reasonOf(err) });
        update(key, { state: 'failed', error: reasonOf(err) });
      },
    });
    uploads.current.set(key, upload);
    setItems((prev) => [...prev, { key, file, sent: 0, state: 'uploading' }]);
    void upload.findPreviousUploads().then((previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    });
  }

  function add(files: FileList | null) {
    for (const file of Array.from(files ?? [])) start(file);
  }

  /** Cancel (under way) or remove (finished, not yet sent with the form): the server discards it either way. */
  function discard(item: Item) {
    const upload = uploads.current.get(item.key);
    uploads.current.delete(item.key);
    if (item.state === 'done') setItems((prev) => prev.filter((i) => i.key !== item.key));
    else update(item.key, { state: 'cancelled' });
    void upload?.abort(true).catch(() => undefined);
  }

  function resume(item: Item) {
    update(item.key, { state: 'uploading', error: undefined });
    uploads.current.get(item.key)?.start();
  }

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    add(e.dataTransfer.files);
  };

  const pct = (i: Item) => (i.file.size > 0 ? Math.floor((i.sent / i.file.size) * 100) : 100);
  return (
    <div
      className={`attachment-upload${dragging ? ' dragging' : ''}`}
      data-testid="attachment-upload"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <label htmlFor={`${id}-files`}>{t.attachFiles}</label>
      <p className="muted">{t.dropFiles}</p>
      <input
        id={`${id}-files`}
        type="file"
        multiple
        onChange={(e) => {
          add(e.target.files);
          e.target.value = '';
        }}
      />
      {items.length > 0 && (
        <ul className="uploads">
          {items.map((i) => {
            const pid = `${id}-${i.key}`;
            return (
              <li key={i.key} data-upload-state={i.state} data-file={i.file.name}>
                <label htmlFor={pid}>
                  {t.uploadOf} {i.file.name} ({formatBytes(i.file.size, lang)})
                </label>{' '}
                <progress id={pid} max={i.file.size} value={i.sent}>
                  {pct(i)}%
                </progress>{' '}
                <span role="status" className="upload-state">
                  {i.state === 'uploading' && `${pct(i)}%`}
                  {i.state === 'reconnecting' && t.reconnecting}
                  {i.state === 'done' && t.uploaded}
                  {i.state === 'cancelled' && t.uploadCancelled}
                  {i.state === 'failed' && `${t.uploadFailed}: ${i.error ?? ''}`}
                </span>{' '}
                {(i.state === 'uploading' || i.state === 'reconnecting' || i.state === 'failed') && (
                  <button type="button" className="link" onClick={() => discard(i)}>
                    {t.cancel}
                  </button>
                )}
                {i.state === 'failed' && (
                  <button type="button" className="link" onClick={() => resume(i)}>
                    {t.resume}
                  </button>
                )}
                {i.state === 'done' && (
                  <button type="button" className="link" onClick={() => discard(i)}>
                    {t.remove}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
