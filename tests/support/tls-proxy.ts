/**
 * Stand-ins for a secured Temporal frontend, on loopback: a TLS proxy in front of the suite's
 * plain dev server that demands a client certificate signed by its CA (mutual TLS, as a
 * self-hosted cluster with `requireClientAuth` or a Temporal Cloud mTLS namespace does), and a
 * TLS gRPC endpoint that only records the request headers (to see an API key arrive).
 */
import http2 from 'node:http2';
import net from 'node:net';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';

interface ServerIdentity {
  /** PEM of the server certificate and its key. */
  cert: string;
  key: string;
}

export interface MutualTlsProxy {
  address: string;
  /** Common names of the client certificates of the connections let through, in order. */
  accepted: string[];
  /** Connections whose TLS handshake failed (no client certificate, one of another CA, no TLS at all). */
  refused: number;
  close(): Promise<void>;
}

export async function startMutualTlsProxy(options: ServerIdentity & { clientCa: string; target: string }): Promise<MutualTlsProxy> {
  const [targetHost, targetPort] = splitHostPort(options.target);
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };
  const proxy: Omit<MutualTlsProxy, 'address' | 'close'> = { accepted: [], refused: 0 };
  const server = tls.createServer(
    {
      cert: options.cert,
      key: options.key,
      ca: options.clientCa,
      requestCert: true,
      rejectUnauthorized: true,
      // gRPC clients ask for HTTP/2 by ALPN; the bytes after the handshake go to the dev server unchanged.
      ALPNProtocols: ['h2'],
    },
    (client) => {
      proxy.accepted.push(String(client.getPeerCertificate().subject?.CN));
      const upstream = net.connect(targetPort, targetHost);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    },
  );
  server.on('connection', track);
  server.on('tlsClientError', () => proxy.refused++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => closeAll(server, sockets),
  });
}

export interface HeaderRecorder {
  address: string;
  /** Request headers of every gRPC call received. */
  requests: http2.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** Answers every call UNAUTHENTICATED (16) after noting its headers: a connection attempt then fails, and the headers it sent are known. */
export async function startHeaderRecorder(identity: ServerIdentity): Promise<HeaderRecorder> {
  const requests: http2.IncomingHttpHeaders[] = [];
  const sockets = new Set<net.Socket>();
  const server = http2.createSecureServer({ cert: identity.cert, key: identity.key });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('stream', (stream, headers) => {
    requests.push(headers);
    stream.respond(
      { ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '16', 'grpc-message': 'recorded' },
      { endStream: true },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as AddressInfo).port}`, requests, close: () => closeAll(server, sockets) };
}

function closeAll(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of sockets) socket.destroy();
  return closed;
}

function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}
