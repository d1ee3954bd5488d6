/** Webhook receivers on localhost for the delivery tests: one that fails before it takes a delivery, one that never answers. */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
  answered: number;
}

/** The server's base URL once it listens on a free port of 127.0.0.1. */
const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );

/**
 * Fails the first two attempts of each delivery (by X-PPKS-Delivery), then takes it;
 * `/always-fails` never takes one, `/gone` answers 410 Gone.
 */
export function receiver(): { server: Server; received: Received[]; listening: Promise<string> } {
  const received: Received[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const deliveryId = String(req.headers['x-ppks-delivery']);
      const attempt = (attempts.get(deliveryId) ?? 0) + 1;
      attempts.set(deliveryId, attempt);
      const answered = req.url === '/gone' ? 410 : req.url === '/always-fails' || attempt <= 2 ? 500 : 200;
      received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks), answered });
      res.writeHead(answered).end();
    });
  });
  return { server, received, listening: listen(server) };
}

/** Accepts connections and never answers: a webhook that hangs until the 10 s timeout. */
export function silentServer(): { server: Server; listening: Promise<string> } {
  const server = createServer(() => {});
  return { server, listening: listen(server) };
}
