/** The API's Prometheus endpoint: `GET /metrics` on a port of its own, apart from the agencies' API. */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { logger } from '../logger.js';

export async function startMetricsServer(registry: Registry, host: string, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Only GET /metrics here\n');
      return;
    }
    registry.metrics().then(
      (body) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(body),
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'metrics not collected');
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end('metrics not collected\n');
      },
    );
  });
  await listen(server, host, port);
  logger.info({ url: metricsUrl(host, port) }, 'metrics listening');
  return server;
}

/** Resolves once the server listens; rejects when the port is taken, so the process stops with a clear error. */
export function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** Where to scrape an endpoint bound to `host` from this machine (`npm start` prints it). */
export function metricsUrl(host: string, port: number, path = '/metrics'): string {
  const local = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${local.includes(':') ? `[${local}]` : local}:${port}${path}`;
}
