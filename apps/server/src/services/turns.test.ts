import { describe, expect, it } from 'vitest';
import { flatMapInTurns } from './turns';

describe('flatMapInTurns', () => {
  const each = (n: number, i: number) => (n % 3 === 0 ? [] : n % 3 === 1 ? [n] : [n, -i]);

  it('gives what flatMap gives, in order, whatever the turn size', async () => {
    const items = Array.from({ length: 23 }, (_, i) => i * 7);
    for (const perTurn of [1, 2, 5, 22, 23, 24, 100]) {
      expect(await flatMapInTurns(items, perTurn, each)).toEqual(items.flatMap(each));
    }
    expect(await flatMapInTurns([], 5, each)).toEqual([]);
  });

  it('lets other work in between its turns', async () => {
    const order: string[] = [];
    const other = new Promise<void>((resolve) =>
      setImmediate(() => {
        order.push('other');
        resolve();
      }),
    );
    const done = flatMapInTurns([1, 2, 3, 4], 2, (n) => {
      order.push(`item ${n}`);
      return [n];
    });
    await Promise.all([done, other]);
    expect(order).toEqual(['item 1', 'item 2', 'other', 'item 3', 'item 4']);
  });
});
