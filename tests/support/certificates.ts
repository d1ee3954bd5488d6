/**
 * A private PKI made for one test run: a CA, a server certificate for the loopback address and
 * client certificates, with `selfsigned` (maintained, pure JavaScript over WebCrypto, so a fresh
 * clone needs no openssl binary). SHA-256 and explicit X.509 v3 extensions throughout: the
 * worker's Rust TLS stack (rustls) refuses SHA-1 signatures and server certificates without a SAN.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from 'selfsigned';

export interface KeyPair {
  /** PEM of the certificate and of its private key, and where they were written. */
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
}

const algorithm = 'sha256';
const validFor = (days: number) => ({
  notBeforeDate: new Date(Date.now() - 60_000),
  notAfterDate: new Date(Date.now() + days * 86_400_000),
});

export async function certificateAuthority(dir: string, name: string): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: name }], {
    algorithm,
    ...validFor(2),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  return save(dir, name, pems.cert, pems.private);
}

/** For the TLS endpoint on 127.0.0.1 (also named localhost). */
export async function serverCertificate(dir: string, ca: KeyPair): Promise<KeyPair> {
  return issue(dir, ca, 'localhost', 'serverAuth', [
    { type: 2, value: 'localhost' },
    { type: 7, ip: '127.0.0.1' },
  ]);
}

export async function clientCertificate(dir: string, ca: KeyPair, commonName: string): Promise<KeyPair> {
  return issue(dir, ca, commonName, 'clientAuth', []);
}

async function issue(
  dir: string,
  ca: KeyPair,
  commonName: string,
  usage: 'serverAuth' | 'clientAuth',
  altNames: { type: 2 | 7; value?: string; ip?: string }[],
): Promise<KeyPair> {
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    algorithm,
    ...validFor(1),
    ca: { cert: ca.cert, key: ca.key },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', [usage]: true },
      ...(altNames.length > 0 ? [{ name: 'subjectAltName' as const, altNames }] : []),
    ],
  });
  return save(dir, commonName, pems.cert, pems.private);
}

function save(dir: string, name: string, cert: string, key: string): KeyPair {
  const certPath = path.join(dir, `${name}.pem`);
  const keyPath = path.join(dir, `${name}.key`);
  writeFileSync(certPath, cert);
  writeFileSync(keyPath, key, { mode: 0o600 });
  return { cert, key, certPath, keyPath };
}
