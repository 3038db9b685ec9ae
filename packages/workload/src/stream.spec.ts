import { describe, expect, it } from 'vitest';
import { Rng } from './prng.js';
import { withDuplicates, withReorder, type StreamItem } from './stream.js';

function items(n: number, snapshotsAt: number[] = []): StreamItem[] {
  return Array.from({ length: n }, (_, i) => ({
    nodeId: 'n',
    method: snapshotsAt.includes(i) ? 'balance_snapshot' : 'coin_movement',
    body: { i },
    duplicate: false,
  }));
}

const index = (item: StreamItem): number => item.body['i'] as number;

describe('withReorder', () => {
  it('is a permutation that moves items only locally', () => {
    const out = [...withReorder(items(5000), 10, new Rng(1))];
    expect(out.map(index).sort((a, b) => a - b)).toEqual(Array.from({ length: 5000 }, (_, i) => i));
    expect(out.map(index)).not.toEqual(Array.from({ length: 5000 }, (_, i) => i));
    // An item leaves the window at the latest `window` places after it entered.
    out.forEach((item, position) => expect(position - index(item)).toBeLessThanOrEqual(10));
  });

  it('never moves anything across a balance snapshot', () => {
    const out = [...withReorder(items(300, [100, 200]), 50, new Rng(2))].map(index);
    expect(out[100]).toBe(100);
    expect(out[200]).toBe(200);
    expect(out.slice(0, 100).every((i) => i < 100)).toBe(true);
    expect(out.slice(101, 200).every((i) => i > 100 && i < 200)).toBe(true);
  });

  it('window 0 keeps the order', () => {
    expect([...withReorder(items(50), 0, new Rng(3))].map(index)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('withDuplicates', () => {
  it('re-sends exact copies shortly after, snapshots right after themselves', () => {
    const out = [...withDuplicates(items(2000, [500, 1500]), 0.2, new Rng(4))];
    const copies = out.filter((i) => i.duplicate);
    expect(copies.length).toBeGreaterThan(300);
    expect(copies.length).toBeLessThan(500);
    out.forEach((item, position) => {
      if (!item.duplicate) return;
      const original = out.findIndex((o) => !o.duplicate && o.body === item.body);
      expect(original).toBeGreaterThanOrEqual(0);
      expect(original).toBeLessThan(position);
      if (item.method === 'balance_snapshot') expect(out[position - 1]!.body).toBe(item.body);
    });
  });
});
