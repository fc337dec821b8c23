let serializePerUser = true;

/**
 * Events of one user are applied one at a time within a container (a cheap way to avoid
 * optimistic-concurrency retries); correctness across containers rests on the transaction's
 * conditions alone. Tests switch this off to prove that.
 */
export function setPerUserSerialization(enabled: boolean): void {
  serializePerUser = enabled;
}

const queues = new Map<string, Promise<unknown>>();

export async function serializedPerUser<T>(key: string, fn: () => Promise<T>): Promise<T> {
  if (!serializePerUser) return fn();
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(fn, fn);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  try {
    return await run;
  } finally {
    if (queues.get(key) === tail) queues.delete(key);
  }
}
