/**
 * Single sign-on through an agency's OpenID Connect provider (issue 15), with openid-client: the
 * authorization code flow with PKCE, state and nonce, the ID token verified by the library, and
 * the agency a person signs in to read from one claim (a group) and the OIDC_AGENCY_MAP.
 */
import * as oidc from 'openid-client';
import { config } from '../config.js';

export interface SsoSettings {
  issuer: URL;
  clientId: string;
  /** Absent: a public client, proven by PKCE alone. */
  clientSecret: string | undefined;
  /** Absent: the API's own origin + CALLBACK_PATH, as the request reached it. */
  redirectUri: string | undefined;
  scopes: string;
  /** The claim naming the person's groups. */
  agencyClaim: string;
  /** Claim value → agency ID. */
  agencies: ReadonlyMap<string, string>;
}

export const CALLBACK_PATH = '/v1/session/oidc/callback';

/** The OIDC_* settings; null when OIDC_ISSUER is unset (single sign-on off). */
export function configuredSsoSettings(): SsoSettings | null {
  if (!config.oidcIssuer) return null;
  if (!URL.canParse(config.oidcIssuer)) throw new Error('OIDC_ISSUER must be a URL such as https://login.example.id/realms/dinsos');
  if (!config.oidcClientId) throw new Error('OIDC_CLIENT_ID is required when OIDC_ISSUER is set');
  if (config.oidcRedirectUri && !URL.canParse(config.oidcRedirectUri)) throw new Error('OIDC_REDIRECT_URI must be a URL');
  return {
    issuer: new URL(config.oidcIssuer),
    clientId: config.oidcClientId,
    clientSecret: config.oidcClientSecret,
    redirectUri: config.oidcRedirectUri,
    scopes: config.oidcScopes,
    agencyClaim: config.oidcAgencyClaim,
    agencies: agencyMap(config.oidcAgencyMap),
  };
}

/** `claim value=agency ID,…`; a value may hold `=` (split at the last one), not a comma. */
export function agencyMap(value: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of value
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)) {
    const at = entry.lastIndexOf('=');
    const claimValue = entry.slice(0, Math.max(at, 0)).trim();
    const agencyId = entry.slice(at + 1).trim();
    if (at < 0 || !claimValue || !agencyId) {
      throw new Error(`OIDC_AGENCY_MAP must be "claim value=agency ID,…"; got the entry ${JSON.stringify(entry)}`);
    }
    map.set(claimValue, agencyId);
  }
  return map;
}

/** What the browser carries to the provider; the rest is kept for the callback. */
interface SsoStart {
  url: URL;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** The verified claims of a person the provider has signed in. */
export type SsoClaims = oidc.IDToken & Record<string, unknown>;

export interface SsoClient {
  settings: SsoSettings;
  start(redirectUri: string): Promise<SsoStart>;
  /** The code exchanged and the ID token verified against what `start` kept; throws when anything does not match. */
  finish(callbackUrl: URL, kept: Omit<SsoStart, 'url'>): Promise<SsoClaims>;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function ssoClient(settings: SsoSettings): SsoClient {
  let discovered: Promise<oidc.Configuration> | undefined;
  // Discovered once per process; a failure is not kept, so the next sign-in tries again.
  const configuration = () =>
    (discovered ??= oidc
      .discovery(
        settings.issuer,
        settings.clientId,
        settings.clientSecret,
        settings.clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(settings.clientSecret),
        // Plain HTTP only to a provider on this machine (development and the tests); TLS everywhere else.
        settings.issuer.protocol === 'http:' && LOOPBACK.has(settings.issuer.hostname)
          ? { execute: [oidc.allowInsecureRequests] }
          : undefined,
      )
      .catch((error: unknown) => {
        discovered = undefined;
        throw error;
      }));
  return {
    settings,
    async start(redirectUri) {
      const codeVerifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(await configuration(), {
        redirect_uri: redirectUri,
        scope: settings.scopes,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      return { url, state, nonce, codeVerifier };
    },
    async finish(callbackUrl, kept) {
      const server = await configuration();
      const tokens = await oidc.authorizationCodeGrant(server, callbackUrl, {
        pkceCodeVerifier: kept.codeVerifier,
        expectedState: kept.state,
        expectedNonce: kept.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      if (typeof claims.email === 'string' && claims[settings.agencyClaim] !== undefined) return claims;
      // Many providers put only `sub` in the ID token: the rest comes from UserInfo, bound to the same subject.
      const userInfo = await oidc.fetchUserInfo(server, tokens.access_token, claims.sub);
      return { ...userInfo, ...claims };
    },
  };
}

/** The agency IDs a person's claim maps to (one, when it is configured right for them). */
export function mappedAgencies(settings: SsoSettings, claims: SsoClaims): string[] {
  const value = claims[settings.agencyClaim];
  const values = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
  return [...new Set(values.flatMap((item) => settings.agencies.get(item) ?? []))];
}
