/**
 * The notification receiver the workers deliver to: checks each signature and remembers every receipt per
 * dedupe key, so the run can tell a lost notification, a redelivery (same key: at-least-once transport,
 * dropped by a receiver that dedupes) and a notification sent twice under two keys apart.
 */
import { createServer, type Server } from 'node:http';
import { DEDUPE_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, verifySignature } from '../../activities/notifier';

export interface Receipt {
  at: number;
  kind: string;
  caseId: string | null;
}

export interface WebhookReceiver {
  url: string;
  receipts: Map<string, Receipt[]>;
  badSignatures: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(port: number, secret: string): Promise<WebhookReceiver> {
  const receipts = new Map<string, Receipt[]>();
  const state = { badSignatures: 0 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const ok = verifySignature(secret, String(req.headers[TIMESTAMP_HEADER] ?? ''), body, String(req.headers[SIGNATURE_HEADER] ?? ''));
      if (!ok) {
        state.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const n = JSON.parse(body) as { dedupeKey: string; kind: string; caseId: string | null };
      const key = String(req.headers[DEDUPE_HEADER] ?? n.dedupeKey);
      const list = receipts.get(key) ?? [];
      list.push({ at: Date.now(), kind: n.kind, caseId: n.caseId });
      receipts.set(key, list);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${port}/notify`,
    receipts,
    get badSignatures() {
      return state.badSignatures;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
