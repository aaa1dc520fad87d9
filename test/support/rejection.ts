/**
 * Awaits `promise` (or calls `call` and awaits it), which must reject with an instance of `type`,
 * and returns that error for further assertions. Throws, so failing the test, when it resolves or
 * rejects with anything else (named in the message, the original error as `cause`).
 */
export async function rejectionOf<E extends Error>(
  promise: Promise<unknown> | (() => Promise<unknown>),
  type: abstract new (...args: never[]) => E,
): Promise<E> {
  let outcome: { error: unknown } | undefined;
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    outcome = { error };
  }
  if (!outcome) throw new Error(`expected a rejection with ${type.name}, but it resolved`);
  if (outcome.error instanceof type) return outcome.error;
  const got =
    outcome.error instanceof Error
      ? `${outcome.error.name}: ${outcome.error.message}`
      : String(outcome.error);
  throw new Error(`expected a rejection with ${type.name}, got ${got}`, { cause: outcome.error });
}
