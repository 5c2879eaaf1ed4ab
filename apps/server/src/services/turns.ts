/*
 * Long CPU work on the request thread in turns: Node answers every request on one thread (and the
 * embedded database runs its statements on it too), so a loop over thousands of items that takes
 * a tenth of a second holds every other request for that long. Between turns, the requests that
 * came meanwhile are answered first (setImmediate runs after the pending I/O).
 */

/** Resolves after the I/O that is waiting has been handled. */
export const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * What `each` gives for every item, in order, flattened (as `items.flatMap(each)`), with a turn
 * of the event loop after every `perTurn` items.
 */
export async function flatMapInTurns<T, U>(
  items: readonly T[],
  perTurn: number,
  each: (item: T, index: number) => readonly U[],
): Promise<U[]> {
  const out: U[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    for (const value of each(items[i]!, i)) out.push(value);
  }
  return out;
}
