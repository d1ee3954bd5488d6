/**
 * Runs `retry` when the connection may be back: on the `online` event (and once more a few seconds
 * later, as the event often comes before the network is usable) and every 15 seconds (a round with nothing queued sends nothing).
 */
const PERIOD_MS = 15_000;
const AFTER_ONLINE_MS = 3_000;

export function whenConnected(retry: () => void): () => void {
  let later: number | undefined;
  const online = () => {
    retry();
    window.clearTimeout(later);
    later = window.setTimeout(retry, AFTER_ONLINE_MS);
  };
  window.addEventListener('online', online);
  const timer = window.setInterval(retry, PERIOD_MS);
  return () => {
    window.removeEventListener('online', online);
    window.clearInterval(timer);
    window.clearTimeout(later);
  };
}
