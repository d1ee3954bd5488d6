/**
 * One POST to a webhook, connected to the addresses the destination check approved
 * (api/webhook-destinations.ts) and to no other: the request's `lookup` answers with those
 * addresses instead of asking DNS again, so a name cannot resolve to a public address for the
 * check and to an internal one for the connection. The URL's host still goes into the Host
 * header and, over https, into SNI and the certificate check. A fresh connection each time (no
 * keep-alive pool that could hold a socket to an address checked earlier); redirects are not
 * followed (node:http never does).
 */
import type { LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** A `lookup` that answers every question with the given addresses (of the family asked for, if any). */
function pinnedLookup(addresses: readonly LookupAddress[]): LookupFunction {
  return (_hostname, options, callback) => {
    const usable = options.family ? addresses.filter((address) => address.family === options.family) : addresses;
    const [first] = usable;
    if (!first) {
      const error: NodeJS.ErrnoException = Object.assign(new Error('no checked address of the family asked for'), { code: 'ENOTFOUND' });
      callback(error, '', 0);
    } else if (options.all) callback(null, [...usable]);
    else callback(null, first.address, first.family);
  };
}

/** POSTs `body` and resolves with the answer's status (its body unread); rejects on a network error or `signal`. */
export function postPinned(
  url: URL,
  addresses: readonly LookupAddress[],
  headers: Record<string, string>,
  body: Buffer,
  signal: AbortSignal,
): Promise<number> {
  const options: RequestOptions = {
    method: 'POST',
    headers: { ...headers, 'Content-Length': String(body.length) },
    lookup: pinnedLookup(addresses),
    agent: false,
    signal,
  };
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (response) => {
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on('error', reject);
    request.end(body);
  });
}
