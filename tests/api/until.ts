/** Polling for tests that wait on real timers and other processes (leases, workers). */
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** `fn()` every `everyMs` until it gives a truthy value, which it returns; throws after `timeoutMs`, naming `what`. */
export async function until<T>(what: string, fn: () => Promise<T> | T, timeoutMs: number, everyMs = 50): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
