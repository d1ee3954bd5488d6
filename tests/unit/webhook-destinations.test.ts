/**
 * Where webhooks may point (api/webhook-destinations.ts), how a delivery connects to exactly the
 * checked addresses (activities/webhooks/send.ts), and its signature headers
 * (activities/webhooks/signature.ts). No DNS is asked: every resolver here is a stand-in, and the
 * only traffic is to servers on loopback.
 */
import { createHmac } from 'node:crypto';
import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { postPinned } from '../../activities/webhooks/send.js';
import { signatureHeaders } from '../../activities/webhooks/signature.js';
import {
  checkDestination,
  DestinationRefused,
  destinationPolicy,
  withoutCredentials,
  type Resolver,
} from '../../api/webhook-destinations.js';

/** A resolver that must not be asked: these refusals come before any lookup. */
const noLookup: Resolver = async (hostname) => {
  throw new Error(`DNS asked for ${hostname}`);
};
const answering =
  (...addresses: string[]): Resolver =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

async function refusal(url: string, policy = destinationPolicy('', { httpsOnly: false, resolve: noLookup })) {
  try {
    await checkDestination(url, policy);
  } catch (error) {
    if (error instanceof DestinationRefused) return error;
    throw error;
  }
  return undefined;
}

describe('checkDestination', () => {
  it('refuses internal addresses and names in every spelling, without asking DNS', async () => {
    const internal = [
      'http://127.0.0.1:5432/',
      'http://[::1]/',
      'http://0x7f000001/',
      'http://2130706433/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/',
      'http://172.16.5.4/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
      'http://0.0.0.0/',
      'http://[::]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://[fc00::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:10.0.0.1]/',
      'http://[::127.0.0.1]/',
      'http://[64:ff9b::7f00:1]/',
      'http://[2002:7f00:1::]/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      'http://192.0.2.10/',
      'https://[2001:db8::1]/',
    ];
    for (const url of internal) {
      expect((await refusal(url))?.message, url).toMatch(/non-public address.*WEBHOOK_ALLOWED_DESTINATIONS/);
    }
    for (const url of [
      'http://postgresql:5432/',
      'http://localhost:3000/',
      'http://LOCALHOST./',
      'http://temporal.internal/',
      'http://printer.local/',
      'http://api.localhost/',
      'http://router.home.arpa/',
    ]) {
      expect((await refusal(url))?.message, url).toMatch(/internal host/);
    }
  });

  it('refuses credentials before resolving, http in production, and other schemes', async () => {
    for (const url of ['http://user:pw@example.com/', 'https://user@example.com/', 'https://:pw@example.com/']) {
      const refused = await refusal(url);
      expect(refused?.message).toMatch(/user name or password/);
      expect(refused?.message).not.toContain('pw');
    }
    const production = destinationPolicy('', { httpsOnly: true, resolve: answering('93.184.215.14') });
    expect((await refusal('http://receiver.example.org/', production))?.message).toBe('must be an https URL');
    expect((await checkDestination('https://receiver.example.org/', production)).addresses).toEqual([
      { address: '93.184.215.14', family: 4 },
    ]);
    expect((await refusal('ftp://93.184.215.14/'))?.message).toBe('must be an http or https URL');
  });

  it('checks every address a name resolves to, and gives the delivery exactly those', async () => {
    const resolvingTo = (...addresses: string[]) => destinationPolicy('', { httpsOnly: false, resolve: answering(...addresses) });
    const url = 'https://alerts.dinsos.example.org/ppks';
    expect(await checkDestination(url, resolvingTo('93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'))).toMatchObject({
      url: new URL(url),
      addresses: [
        { address: '93.184.215.14', family: 4 },
        { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
      ],
    });
    // One internal address among public ones is enough to refuse: a retry could land on it.
    for (const addresses of [['10.1.2.3'], ['93.184.215.14', '127.0.0.1'], ['::ffff:169.254.169.254'], ['fd12::1']]) {
      const refused = await refusal(url, resolvingTo(...addresses));
      expect(refused?.reason).toBe('refused');
      expect(refused?.message).toMatch(/resolves to a loopback, private/);
    }
    const unresolved = await refusal(url, destinationPolicy('', { httpsOnly: false, resolve: async () => [] }));
    expect(unresolved?.reason).toBe('unresolved');
    const failing = await refusal(
      url,
      destinationPolicy('', {
        httpsOnly: false,
        resolve: async () => {
          throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
        },
      }),
    );
    expect(failing).toMatchObject({ reason: 'unresolved', message: 'names a host that could not be resolved' });
  });

  it('checks again each time: a name that now resolves to an internal address is refused (DNS rebinding)', async () => {
    let answer = '93.184.215.14';
    const policy = destinationPolicy('', { httpsOnly: false, resolve: async () => [{ address: answer, family: 4 }] });
    const url = 'https://rebinding.example.org/';
    expect((await checkDestination(url, policy)).addresses).toEqual([{ address: '93.184.215.14', family: 4 }]);
    answer = '169.254.169.254';
    expect((await refusal(url, policy))?.reason).toBe('refused');
  });

  it('allows what WEBHOOK_ALLOWED_DESTINATIONS lists: hosts, addresses and CIDRs', async () => {
    const policy = destinationPolicy('127.0.0.0/8, ::1, 169.254.169.254 , 10.0.0.0/8,postgresql,Receiver.Internal.', {
      httpsOnly: false,
      resolve: answering('172.18.0.4'),
    });
    for (const url of [
      'http://127.0.0.1:5432/',
      'http://[::1]/',
      'http://0x7f000001/',
      'http://169.254.169.254/',
      'http://10.0.0.1/',
      'http://[::ffff:10.9.9.9]/',
    ]) {
      expect(await refusal(url, policy), url).toBeUndefined();
    }
    // A listed name is reachable whatever it resolves to; registration does not even resolve it.
    expect((await checkDestination('http://postgresql:5432/', policy)).addresses).toEqual([{ address: '172.18.0.4', family: 4 }]);
    const registration = destinationPolicy('receiver.internal', { httpsOnly: false, resolve: noLookup });
    expect((await checkDestination('http://receiver.internal/', registration, { resolveListedHosts: false })).addresses).toEqual([]);
    // Neighbours of listed entries stay refused, and so do credentials on a listed host.
    for (const url of ['http://169.254.169.253/', 'http://[::2]/', 'http://postgres:5432/', 'http://other.internal/']) {
      expect(await refusal(url, policy), url).toBeInstanceOf(DestinationRefused);
    }
    expect((await refusal('http://user:pw@postgresql/', policy))?.message).toMatch(/user name or password/);
    // A name not listed, resolving into a listed range, passes; resolving outside it, does not.
    const ranges = (address: string) => destinationPolicy('10.20.0.0/16', { httpsOnly: false, resolve: answering(address) });
    expect(await refusal('http://alerts.dinsos.example.org/', ranges('10.20.3.4'))).toBeUndefined();
    expect(await refusal('http://alerts.dinsos.example.org/', ranges('10.21.3.4'))).toBeInstanceOf(DestinationRefused);
  });

  it('refuses a malformed WEBHOOK_ALLOWED_DESTINATIONS at start', () => {
    expect(destinationPolicy('').allowedRanges).toEqual([]);
    for (const list of ['10.0.0.0/33', '10.0.0/8', 'not a host', 'http://receiver', '127.0.0.1,,bad_host!']) {
      expect(() => destinationPolicy(list), list).toThrow(/WEBHOOK_ALLOWED_DESTINATIONS entry/);
    }
  });

  it('never shows a URL with its user name or password', () => {
    expect(withoutCredentials('https://user:pw@example.com/hook')).toBe('https://redacted@example.com/hook');
    expect(withoutCredentials('https://example.com/hook')).toBe('https://example.com/hook');
  });
});

describe('postPinned', () => {
  it('connects to the checked address, not to what the name resolves to, and sends the name as Host', async () => {
    const received: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      received.push(req.headers);
      res.writeHead(202).end();
    });
    // 127.0.0.2: `localhost` resolves to 127.0.0.1, where nothing listens on this port.
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const pinned: LookupAddress[] = [{ address: '127.0.0.2', family: 4 }];
      const status = await postPinned(new URL(`http://localhost:${port}/alerts`), pinned, {}, Buffer.from('{}'), AbortSignal.timeout(5000));
      expect(status).toBe(202);
      expect(received[0]?.host).toBe(`localhost:${port}`);
      // Pinned elsewhere: the connection fails rather than follow DNS.
      const elsewhere: LookupAddress[] = [{ address: '127.0.0.3', family: 4 }];
      await expect(
        postPinned(new URL(`http://localhost:${port}/alerts`), elsewhere, {}, Buffer.from('{}'), AbortSignal.timeout(5000)),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
      expect(received).toHaveLength(1);
    } finally {
      server.close();
    }
  });
});

describe('signatureHeaders', () => {
  it('signs by Standard Webhooks (timestamp included) and still sends X-PPKS-Signature', () => {
    const secret = 'rahasia-penerima-ünïcode-9f3c';
    const body = JSON.stringify({ event: 'alert.raised', deliveryId: '7/webhook_x' });
    const at = new Date();
    const headers = signatureHeaders(secret, '7/webhook_x', at, body);
    expect(headers['webhook-id']).toBe('7/webhook_x');
    expect(headers['webhook-timestamp']).toBe(String(Math.floor(at.getTime() / 1000)));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    // Either form of the key: its UTF-8 bytes, or whsec_ and their base64.
    expect(new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(`whsec_${Buffer.from(secret, 'utf8').toString('base64')}`).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(Buffer.from('another-secret-entirely'), { format: 'raw' }).verify(body, headers)).toThrow();
    // A replay with a fresh timestamp does not verify, and an old one is refused as old.
    const replayed = { ...headers, 'webhook-timestamp': String(Math.floor(Date.now() / 1000) + 1) };
    expect(() => new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' }).verify(body, replayed)).toThrow(/No matching signature/);
    const old = signatureHeaders(secret, '7/webhook_x', new Date(Date.now() - 10 * 60_000), body);
    expect(() => new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' }).verify(body, old)).toThrow(/too old/);
    expect(headers['X-PPKS-Signature']).toBe(`sha256=${createHmac('sha256', secret).update(body).digest('hex')}`);
  });
});
