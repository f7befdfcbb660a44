/** A small tus 1.0 client over fetch for tests and benchmarks: create, PATCH in chunks, HEAD to resume. */
import { createHash } from 'node:crypto';

export interface TusUpload {
  location: string;
  attachmentId: string | null;
  sha256: string | null;
  status: number;
  body: string;
}

export const metadataHeader = (meta: Record<string, string>): string =>
  Object.entries(meta)
    .map(([k, v]) => `${k} ${Buffer.from(v).toString('base64')}`)
    .join(',');

export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** POST the creation request; returns the raw response. */
export function tusCreate(base: string, caseId: string, token: string, length: number | null, meta: Record<string, string>) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    'Tus-Resumable': '1.0.0',
    'Upload-Metadata': metadataHeader(meta),
  };
  if (length !== null) headers['Upload-Length'] = String(length);
  return fetch(`${base}/v1/cases/${caseId}/uploads`, { method: 'POST', headers });
}

export async function tusPatch(
  base: string,
  location: string,
  token: string,
  offset: number,
  chunk: Uint8Array | ReadableStream,
  length?: number,
) {
  const headers: Record<string, string> = {
    Authorization: `Bearer ${token}`,
    'Tus-Resumable': '1.0.0',
    'Upload-Offset': String(offset),
    'Content-Type': 'application/offset+octet-stream',
  };
  if (length !== undefined) headers['Content-Length'] = String(length);
  return fetch(new URL(location, base), { method: 'PATCH', headers, body: chunk, duplex: 'half' } as RequestInit);
}

export async function tusOffset(base: string, location: string, token: string): Promise<number | null> {
  const res = await fetch(new URL(location, base), {
    method: 'HEAD',
    headers: { Authorization: `Bearer ${token}`, 'Tus-Resumable': '1.0.0' },
  });
  return res.ok ? Number(res.headers.get('upload-offset')) : null;
}

/** Uploads `bytes` in chunks of `chunkSize`; the last PATCH answers the attachment id and hash. */
export async function tusUpload(
  base: string,
  caseId: string,
  token: string,
  bytes: Buffer,
  meta: Record<string, string>,
  chunkSize = 4 * 1024 * 1024,
): Promise<TusUpload> {
  const created = await tusCreate(base, caseId, token, bytes.length, meta);
  if (created.status !== 201) return { location: '', attachmentId: null, sha256: null, status: created.status, body: await created.text() };
  const location = created.headers.get('location')!;
  let offset = 0;
  let last: Response | null = null;
  while (offset < bytes.length) {
    const chunk = bytes.subarray(offset, Math.min(bytes.length, offset + chunkSize));
    last = await tusPatch(base, location, token, offset, chunk);
    if (last.status !== 204) break;
    offset = Number(last.headers.get('upload-offset'));
  }
  return {
    location,
    attachmentId: last?.headers.get('attachment-id') ?? null,
    sha256: last?.headers.get('attachment-sha256') ?? null,
    status: last?.status ?? 0,
    body: last ? await last.text() : '',
  };
}
