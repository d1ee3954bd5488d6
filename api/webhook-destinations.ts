/**
 * Where a webhook may point: a public address, or one an operator listed in
 * `WEBHOOK_ALLOWED_DESTINATIONS`. Checked at registration (api/routes/webhooks.ts) and again at
 * every delivery (activities/webhooks/delivery.ts), which then connects to exactly the addresses
 * checked here, so that DNS cannot swap them between the check and the connection.
 *
 * Refused unless listed: loopback, private (RFC 1918), link-local, unique-local (fc00::/7),
 * unspecified, carrier-grade NAT (100.64/10) and every other special-purpose range ipaddr.js
 * knows (multicast, broadcast, documentation, 6to4, NAT64…), IPv4-mapped IPv6 forms of those,
 * IPv6 outside 2000::/3, and internal names (no dot, `.internal`, `.local`, `.localhost`,
 * `.home.arpa`, `localhost`). Credentials in the URL are refused before anything is resolved,
 * and `http` is refused in production.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { LookupAddress } from 'node:dns';
import ipaddr from 'ipaddr.js';
import { config } from '../config.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;
type Range = [Address, number];

/** Every address a host name resolves to (node:dns `lookup`, all of them, by default). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export interface DestinationPolicy {
  /** Host names listed in WEBHOOK_ALLOWED_DESTINATIONS (lower case, no trailing dot): reachable whatever they resolve to. */
  allowedHosts: ReadonlySet<string>;
  /** Addresses and CIDRs listed in WEBHOOK_ALLOWED_DESTINATIONS. */
  allowedRanges: readonly Range[];
  /** Production: `https` only. */
  httpsOnly: boolean;
  resolve: Resolver;
}

/** Why a destination is refused; `message` is for the registration's field error and never quotes the URL. */
export class DestinationRefused extends Error {
  constructor(
    /** `unresolved`: the name has no address now (may pass later); `refused`: the policy says no. */
    readonly reason: 'refused' | 'unresolved',
    message: string,
  ) {
    super(message);
    this.name = 'DestinationRefused';
  }
}

export interface CheckedDestination {
  url: URL;
  /** The addresses to connect to; empty for a listed host name checked at registration (not resolved then). */
  addresses: LookupAddress[];
}

const RESOLVE_TIMEOUT_MS = 5_000;
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');
const INTERNAL_SUFFIXES = ['.internal', '.local', '.localhost', '.home.arpa'];
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const LISTED = 'unless listed in WEBHOOK_ALLOWED_DESTINATIONS';

async function systemResolve(hostname: string): Promise<LookupAddress[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error('DNS lookup timed out'), { code: 'ETIMEOUT' })), RESOLVE_TIMEOUT_MS);
  });
  try {
    return await Promise.race([lookup(hostname, { all: true }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The policy from a WEBHOOK_ALLOWED_DESTINATIONS list (comma-separated host names, IP addresses
 * and CIDRs); a malformed entry throws, naming its position (the value is not secret, but short).
 */
export function destinationPolicy(
  allowList: string = config.webhookAllowedDestinations,
  { httpsOnly = config.production, resolve = systemResolve }: { httpsOnly?: boolean; resolve?: Resolver } = {},
): DestinationPolicy {
  const allowedHosts = new Set<string>();
  const allowedRanges: Range[] = [];
  allowList
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .forEach((entry, index) => {
      if (isIP(entry)) {
        const address = normalized(ipaddr.parse(entry));
        allowedRanges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      } else if (entry.includes('/')) {
        const [address, bits] = entry.split('/', 2) as [string, string];
        if (!isIP(address) || !/^\d{1,3}$/.test(bits) || !ipaddr.isValidCIDR(entry)) {
          throw new Error(`WEBHOOK_ALLOWED_DESTINATIONS entry ${index + 1} (${entry}) is not a valid CIDR`);
        }
        allowedRanges.push(ipaddr.parseCIDR(entry));
      } else {
        const host = hostKey(entry);
        if (!HOST_NAME.test(host)) {
          throw new Error(`WEBHOOK_ALLOWED_DESTINATIONS entry ${index + 1} is neither a host name, an IP address nor a CIDR`);
        }
        allowedHosts.add(host);
      }
    });
  return { allowedHosts, allowedRanges, httpsOnly, resolve };
}

/**
 * Checks a webhook URL and returns the addresses a delivery may connect to, or throws
 * DestinationRefused. `resolveListedHosts: false` (registration) accepts a listed host name
 * without asking DNS; a delivery resolves it to have addresses to connect to.
 */
export async function checkDestination(
  rawUrl: string,
  policy: DestinationPolicy,
  { resolveListedHosts = true }: { resolveListedHosts?: boolean } = {},
): Promise<CheckedDestination> {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new DestinationRefused('refused', 'must be an http or https URL');
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:')) {
    throw new DestinationRefused('refused', policy.httpsOnly ? 'must be an https URL' : 'must be an http or https URL');
  }
  // Before anything is resolved: such a URL is refused whatever its host.
  if (url.username || url.password) {
    throw new DestinationRefused('refused', 'must not contain a user name or password (the secret authenticates deliveries)');
  }

  // The WHATWG parser has already turned 0x7f000001, 2130706433, 0177.0.0.1 and 127.1 into 127.0.0.1.
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (isIP(host)) {
    const family = isIP(host);
    if (!addressAllowed(host, policy)) {
      throw new DestinationRefused('refused', `points to a loopback, private, link-local or other non-public address, refused ${LISTED}`);
    }
    return { url, addresses: [{ address: host, family }] };
  }

  const name = hostKey(host);
  const listed = policy.allowedHosts.has(name);
  if (!listed && isInternalName(name)) {
    throw new DestinationRefused('refused', `names an internal host (no dot, .internal, .local, localhost), refused ${LISTED}`);
  }
  if (listed && !resolveListedHosts) return { url, addresses: [] };

  let addresses: LookupAddress[];
  try {
    addresses = await policy.resolve(name);
  } catch {
    throw new DestinationRefused('unresolved', 'names a host that could not be resolved');
  }
  if (addresses.length === 0) throw new DestinationRefused('unresolved', 'names a host that could not be resolved');
  // Every address: a name answering one public and one internal address would otherwise get through on a retry.
  if (!listed && !addresses.every(({ address }) => addressAllowed(address, policy))) {
    throw new DestinationRefused('refused', `resolves to a loopback, private, link-local or other non-public address, refused ${LISTED}`);
  }
  return { url, addresses };
}

/** The URL as shown back: without a user name or password (webhooks registered before these were refused may have them). */
export function withoutCredentials(rawUrl: string): string {
  try {
    const url = new URL(rawUrl);
    if (!url.username && !url.password) return rawUrl;
    url.username = 'redacted';
    url.password = '';
    return url.href;
  } catch {
    return rawUrl;
  }
}

function hostKey(host: string): string {
  return host.toLowerCase().replace(/\.$/, '');
}

function isInternalName(name: string): boolean {
  return !name.includes('.') || name === 'localhost' || INTERNAL_SUFFIXES.some((suffix) => name.endsWith(suffix));
}

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is judged as the IPv4 address it stands for. */
function normalized(address: Address): Address {
  return address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
}

function addressAllowed(text: string, policy: DestinationPolicy): boolean {
  let address: Address;
  try {
    address = normalized(ipaddr.parse(text));
  } catch {
    return false;
  }
  if (policy.allowedRanges.some((range) => range[0].kind() === address.kind() && address.match(range))) return true;
  if (address.range() !== 'unicast') return false;
  // IPv6 unicast as ipaddr.js counts it includes ::/8 leftovers (IPv4-compatible ::a.b.c.d): only 2000::/3 is global.
  return address.kind() === 'ipv4' || address.match(GLOBAL_UNICAST_V6);
}
