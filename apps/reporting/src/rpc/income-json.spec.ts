import { parseNotification } from '@bkpr/contracts';
import { factFromMovement, incomeRowJson, incomeStatementOf, JsonBytes, keepBooks, normalizeNotification, writeIncomeRowJson, type Fact, type IncomeRow, type IncomeStatement } from '@bkpr/domain';
import { PiecePool, stringifyJson } from '@bkpr/service-kit';
import { Workload } from '@bkpr/workload';
import { describe, expect, it } from 'vitest';
import { encodedIncomeRows, type IncomePart } from './income-json.js';

/** What listincome wrote before the dedicated encoder: the generic path, row by row. */
function generic(row: IncomeRow, nodeId: string): string {
  const json = incomeRowJson(row);
  json['node_id'] = nodeId;
  return stringifyJson(json);
}

/** One row written by writeIncomeRowJson, as text. */
function written(row: IncomeRow, nodeId: string): string {
  const out = new JsonBytes(16);
  writeIncomeRowJson(row, out, Buffer.from(`,"node_id":${JSON.stringify(nodeId)}}`));
  return Buffer.from(out.bytes.subarray(0, out.length)).toString('utf8');
}

/**
 * Facts of a generated organization, some made awkward: amounts above 2^53 and at 2^64 − 1,
 * descriptions to escape and not ASCII, payment ids, txids and outpoints that are not 64
 * lowercase hex (the domain keeps those as text), and every row kept by its columns.
 */
function awkward(facts: Fact[]): Fact[] {
  return facts.map((f, k): Fact => {
    if (f.type !== 'channel' && f.type !== 'chain') return f;
    switch (k % 23) {
      case 3:
        return { ...f, creditMsat: f.creditMsat === 0n ? 0n : 2n ** 64n - 1n - BigInt(k), debitMsat: f.debitMsat === 0n ? 0n : 2n ** 53n + BigInt(k) };
      case 5:
        return { ...f, description: `a "quoted" \\ path\n\ttab \u0001 \u2028 ünïcödé 🙂 \ud800 lone ${k}` };
      case 7:
        return { ...f, paymentId: f.paymentId === null ? null : f.paymentId.toUpperCase() };
      case 11:
        return { ...f, paymentId: f.paymentId === null ? null : `pay "${k}"` };
      case 13:
        return f.type === 'chain' ? { ...f, outpoint: f.outpoint.toUpperCase(), spendingTxid: f.spendingTxid === null ? null : `${f.spendingTxid.slice(0, 60)}é` } : f;
      case 17:
        return { ...f, creditMsat: f.creditMsat === 0n ? 0n : 2n ** 64n - 1n, description: '</script> 𝄞' };
      default:
        return f;
    }
  });
}

function statementsOf(seed: number, events: number, edit: (facts: Fact[]) => Fact[] = (facts) => facts): { nodeId: string; rows: IncomeStatement }[] {
  const facts = new Map<string, Fact[]>();
  let seq = 0n;
  for (const item of new Workload({ seed, nodes: 3, channelsPerNode: 4, targetEvents: events, formats: { v2: 1, newer: 1 } })) {
    const parsed = parseNotification(item.body);
    if (!parsed.ok) continue;
    const normalized = normalizeNotification(parsed.notification, { nodeId: item.nodeId });
    if (!normalized.ok) continue;
    for (const m of normalized.movements) {
      let list = facts.get(m.nodeId);
      if (!list) facts.set(m.nodeId, (list = []));
      list.push(factFromMovement(m, ++seq));
    }
  }
  const statements: { nodeId: string; rows: IncomeStatement }[] = [];
  for (const [nodeId, list] of [...facts].sort(([a], [b]) => a.localeCompare(b))) {
    const books = keepBooks(edit(list));
    for (const consolidateFees of [true, false]) statements.push({ nodeId, rows: incomeStatementOf(books, { consolidateFees, startTime: 0, endTime: Number.MAX_SAFE_INTEGER }) });
  }
  return statements;
}

const text = (pieces: Iterable<Uint8Array>) => Buffer.concat([...pieces]).toString('utf8');

const row = (fields: Partial<IncomeRow>): IncomeRow => ({
  account: 'wallet',
  tag: 'deposit',
  creditMsat: 0n,
  debitMsat: 0n,
  currency: 'bc',
  timestamp: 1_700_000_000,
  description: null,
  outpoint: null,
  txid: null,
  paymentId: null,
  feesMsat: 0n,
  ...fields,
});

describe('listincome rows encoded by hand', () => {
  it('are the generic encoding byte for byte, for every field and escape', () => {
    const node = '02'.padEnd(66, 'ab');
    const rows = [
      row({}),
      row({ creditMsat: 2n ** 53n - 1n, debitMsat: 2n ** 53n }),
      row({ creditMsat: 2n ** 64n - 1n, debitMsat: 123_456_789n }),
      row({ debitMsat: -5n, timestamp: 0 }),
      row({ description: 'a "quoted" \\ path\n\ttab \u0001 \u2028 ünïcödé 🙂 \ud800 lone', outpoint: `${'f'.repeat(64)}:1` }),
      row({ description: '', txid: 'e'.repeat(64), paymentId: 'd'.repeat(64) }),
      row({ account: 'chan"nel\\id', tag: 'inv\u0000oice', currency: 'tb\n', paymentId: '12ab' }),
      row({ account: '𝄞 account', description: '</script>' }),
    ];
    for (const r of rows) expect(written(r, node)).toBe(generic(r, node));
    expect(written(rows[0]!, 'node "with" quotes')).toBe(generic(rows[0]!, 'node "with" quotes'));
    // Statements as the service reads them, with ids that need escaping or are not ASCII among
    // plain ones: the pieces are UTF-8 all the same.
    const statementOf = (list: IncomeRow[]) =>
      ({ length: list.length, at: (i: number) => list[i]!, writeRowJson: (i: number, out: JsonBytes, end: Uint8Array) => writeIncomeRowJson(list[i]!, out, end) }) as unknown as IncomeStatement;
    const statement = statementOf(rows);
    const plain = rows.slice(0, 2);
    const plainStatement = statementOf(plain);
    for (const nodeId of [node, 'nöde "x"']) {
      const parts: IncomePart[] = [{ nodeId, rows: plainStatement, dropped: null }, { nodeId, rows: statement, dropped: new Set([1]) }];
      const expected = [...plain, ...rows.filter((_, i) => i !== 1)].map((r) => generic(r, nodeId)).join(',');
      expect(text(encodedIncomeRows(parts))).toBe(expected);
      expect(text(encodedIncomeRows(parts, 1, 5))).toBe(expected.split(/,(?={"account")/).slice(1, 5).join(','));
    }
  });

  it.each([
    ['generated', (facts: Fact[]) => facts],
    ['awkward', awkward],
  ])('write %s statements as the generic path does: whole, less dropped rows, and page by page', (_name, edit) => {
    const statements = statementsOf(11, 6_000, edit);
    expect(statements.reduce((n, s) => n + s.rows.length, 0)).toBeGreaterThan(1_000);
    const parts: IncomePart[] = statements.map(({ nodeId, rows }, k) => {
      const dropped = new Set<number>();
      if (k % 2 === 1) for (let i = 0; i < rows.length; i += 7) dropped.add(i);
      return { nodeId, rows, dropped: dropped.size ? dropped : null };
    });
    const expected: string[] = [];
    for (const part of parts) for (let i = 0; i < part.rows.length; i++) if (!part.dropped?.has(i)) expected.push(generic(part.rows.at(i), part.nodeId));

    expect(text(encodedIncomeRows(parts))).toBe(expected.join(','));
    if (edit === awkward) {
      // the awkward values made it into rows: amounts past 2^53 and at 2^64 − 1, escapes, ids as text
      const all = expected.join(',');
      for (const needle of ['18446744073709551615', '"debit_msat":90071992547', 'ünïcödé 🙂 \\ud800', '\\"quoted\\"', '"payment_id":"pay \\"', '</script> 𝄞']) expect(all).toContain(needle);
      expect(all).toMatch(/"payment_id":"[0-9A-F]{64}"/);
      expect(all).toMatch(/"outpoint":"[0-9A-F]{64}:\d+"/);
    }
    const pieces = [...encodedIncomeRows(parts)];
    expect(pieces.length).toBeGreaterThan(1);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeGreaterThanOrEqual(256 * 1024);
    for (const [from, to] of [[0, 1], [0, 500], [1, 2], [499, 1_501], [expected.length - 3, expected.length + 10], [expected.length, expected.length + 5]] as const) {
      expect(text(encodedIncomeRows(parts, from, to))).toBe(expected.slice(from, to).join(','));
    }
    // a page that starts in the middle of a node after one wholly skipped
    const secondStarts = parts[0]!.rows.length;
    expect(text(encodedIncomeRows(parts, secondStarts + 3, secondStarts + 40))).toBe(expected.slice(secondStarts + 3, secondStarts + 40).join(','));
    expect(text(encodedIncomeRows([]))).toBe('');

    // From a pool, each piece given back once "sent" (copied here, as a completed write has):
    // the same bytes, in a couple of buffers used again and again.
    const pool = new PiecePool();
    const buffers = new Set<ArrayBufferLike>();
    const sent: Buffer[] = [];
    for (const piece of encodedIncomeRows(parts, 0, Number.MAX_SAFE_INTEGER, pool.allocate)) {
      buffers.add(piece.buffer);
      sent.push(Buffer.from(piece));
      pool.giveBack(piece);
    }
    expect(Buffer.concat(sent).toString('utf8')).toBe(expected.join(','));
    expect(sent.length).toBe(pieces.length);
    expect(buffers.size).toBeLessThanOrEqual(2);
  });
});
