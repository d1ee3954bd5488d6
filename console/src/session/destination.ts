/**
 * Where the browser goes on after signing in (the Temporal UI gateway sends people here with
 * `?next=`): only to this host, whose pages the session cookie reaches, never to another site.
 */
export function destinationOf(next: string | null): string | null {
  if (!next) return null;
  try {
    const url = new URL(next, location.href);
    return ['http:', 'https:'].includes(url.protocol) && url.hostname === location.hostname ? url.href : null;
  } catch {
    return null;
  }
}
