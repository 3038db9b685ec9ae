import { createHash } from 'node:crypto';
import { parseNotification } from '@bkpr/contracts';
import { describe, expect, it } from 'vitest';
import { expectedFromJson, expectedToJson, netFlowMsat, type ExpectedResults } from './expected.js';
import { foldBalances } from './fold.js';
import type { WorkloadItem } from './stream.js';
import { generateAll, resolveWorkloadOptions, Workload, type WorkloadOptions } from './workload.js';

type Body = Record<string, unknown>;

function bytesOf(options: WorkloadOptions): string {
  const hash = createHash('sha256');
  for (const item of new Workload(options)) hash.update(`${JSON.stringify(item.body)}\n`);
  return hash.digest('hex');
}

function inner(item: WorkloadItem): Body {
  const body = item.body as Body;
  const unwrapped = 'payload' in body ? (body['payload'] as Body) : body;
  return unwrapped[item.method] as Body;
}

/** lightningd's key order (lightningd/notification.c), as in the golden cases. */
const CHAIN_KEYS = ['version', 'node_id', 'peer_id', 'type', 'account_id', 'originating_account', 'txid', 'utxo_txid', 'vout', 'payment_hash', 'credit_msat', 'debit_msat', 'output_msat', 'output_count', 'tags', 'blockheight', 'timestamp', 'coin_type'];
const CHAIN_REQUIRED = ['version', 'node_id', 'type', 'account_id', 'utxo_txid', 'vout', 'credit_msat', 'debit_msat', 'output_msat', 'tags', 'blockheight', 'timestamp', 'coin_type'];
const CHANNEL_KEYS = ['version', 'node_id', 'type', 'account_id', 'payment_hash', 'part_id', 'credit_msat', 'debit_msat', 'fees_msat', 'tags', 'timestamp', 'coin_type'];
const CHANNEL_REQUIRED = ['version', 'node_id', 'type', 'account_id', 'credit_msat', 'debit_msat', 'fees_msat', 'tags', 'timestamp', 'coin_type'];
const SNAPSHOT_KEYS = ['node_id', 'blockheight', 'timestamp', 'accounts'];
const UTXO_DEPOSIT_KEYS = ['account', 'transfer_from', 'outpoint', 'amount_msat', 'coin_type', 'timestamp', 'blockheight'];
const UTXO_SPEND_KEYS = ['account', 'outpoint', 'spending_txid', 'amount_msat', 'coin_type', 'timestamp', 'blockheight'];

/** Problems with the keys of one body, if any: unknown keys, wrong order, missing required ones. */
function keyOrderProblems(keys: string[], order: string[], required: string[]): string[] {
  const problems: string[] = [];
  const positions = keys.map((k) => order.indexOf(k));
  if (positions.some((p) => p < 0)) problems.push(`unexpected key in ${keys.join(',')}`);
  if (positions.some((p, i) => i > 0 && p < positions[i - 1]!)) problems.push(`key order ${keys.join(',')}`);
  for (const k of required) if (!keys.includes(k)) problems.push(`missing ${k}`);
  return problems;
}

function foldMatchesExpected(items: WorkloadItem[], expected: ExpectedResults, dropReplays: boolean): void {
  const fold = foldBalances(items, { dropReplays });
  const folded = new Map([...fold.balances].map(([k, b]) => [k, b]));
  for (const row of expected.balances) {
    const key = `${row.nodeId}|${row.account}|${row.coinType}`;
    const b = folded.get(key);
    expect(b, `account ${key} missing from the stream`).toBeDefined();
    const withIgnored = b!.creditMsat + b!.ignoredCreditMsat - b!.debitMsat - b!.ignoredDebitMsat;
    expect(withIgnored, key).toBe(row.balanceMsat);
    expect(b!.creditMsat - b!.debitMsat, key).toBe(row.balanceExcludingIgnoredMsat);
    folded.delete(key);
  }
  expect([...folded.keys()], 'accounts in the stream but not expected').toEqual([]);
}

describe('determinism', () => {
  it('the same options give the same bytes; another seed does not', () => {
    const options = { seed: 11, nodes: 3, channelsPerNode: 3, targetEvents: 4000, duplicationRate: 0.03, reorderWindow: 8 };
    const first = bytesOf(options);
    expect(bytesOf(options)).toBe(first);
    expect(bytesOf({ ...options, seed: 12 })).not.toBe(first);
    expect(bytesOf({ ...options, seed: 'eleven' })).not.toBe(first);
  });

  it('re-iterating a workload replays the same history and expected results', () => {
    const workload = new Workload({ seed: 3, targetEvents: 500 });
    const a = [...workload].map((i) => JSON.stringify(i.body));
    const expectedA = workload.expected();
    const b = [...workload].map((i) => JSON.stringify(i.body));
    expect(b).toEqual(a);
    expect(workload.expected()).toEqual(expectedA);
  });

  it('duplication and reordering do not change the underlying history', () => {
    const plain = generateAll({ seed: 21, targetEvents: 3000 });
    const noisy = generateAll({ seed: 21, targetEvents: 3000, duplicationRate: 0.1, reorderWindow: 50 });
    const texts = (items: WorkloadItem[]): string[] => items.filter((i) => !i.duplicate).map((i) => JSON.stringify(i.body)).sort();
    expect(texts(noisy.items)).toEqual(texts(plain.items));
    expect(noisy.expected.balances).toEqual(plain.expected.balances);
  });
});

describe('notification shapes', () => {
  const { items } = generateAll({ seed: 5, nodes: 3, channelsPerNode: 5, targetEvents: 20_000 });

  it('every item passes the gateway schema (parseNotification)', () => {
    for (const item of items) {
      const parsed = parseNotification(item.body);
      if (!parsed.ok) throw new Error(`item ${item.seq}: ${JSON.stringify(parsed.issues)} in ${JSON.stringify(item.body)}`);
      expect(parsed.notification.name).toBe(item.method);
    }
  });

  it("uses lightningd's fields and key order, integer msat as JSON numbers", () => {
    const problems: string[] = [];
    const check = (ok: boolean, what: string, item: WorkloadItem): void => {
      if (!ok && problems.length < 20) problems.push(`${item.seq}: ${what}`);
    };
    for (const item of items) {
      const body = inner(item);
      const keys = Object.keys(body);
      if (item.method === 'coin_movement') {
        check(body['version'] === 2 && body['node_id'] === item.nodeId, 'version/node_id', item);
        const order = body['type'] === 'chain_mvt' ? [CHAIN_KEYS, CHAIN_REQUIRED] : [CHANNEL_KEYS, CHANNEL_REQUIRED];
        for (const p of keyOrderProblems(keys, order[0]!, order[1]!)) check(false, p, item);
        for (const k of ['credit_msat', 'debit_msat', 'output_msat', 'fees_msat']) {
          if (k in body) check(Number.isSafeInteger(body[k]) && (body[k] as number) >= 0, `${k} not an integer`, item);
        }
        if ('output_count' in body) check((body['output_count'] as number) > 0, 'output_count 0', item);
      } else if (item.method === 'balance_snapshot') {
        check(keys.join() === SNAPSHOT_KEYS.join(), 'snapshot keys', item);
        for (const a of body['accounts'] as Body[]) check(Object.keys(a).join() === 'account_id,balance_msat,coin_type', 'snapshot account keys', item);
      } else {
        // 3rd-party wallets' notifications come wrapped as a plugin's custom notification.
        check(Object.keys(item.body).join() === 'origin,payload', 'envelope', item);
        check(keys.join() === (item.method === 'utxo_deposit' ? UTXO_DEPOSIT_KEYS : UTXO_SPEND_KEYS).join(), 'utxo keys', item);
      }
    }
    expect(problems).toEqual([]);
  });

  it('covers every kind of movement the brief asks for', () => {
    const features = new Set<string>();
    const orgNodes = new Set(items.map((i) => i.nodeId));
    for (const item of items) {
      const b = inner(item);
      if (item.method !== 'coin_movement') {
        features.add(item.method);
        if (item.method === 'utxo_deposit' && b['account'] === 'external') features.add(`utxo_deposit external bh${b['blockheight'] === 0 ? 0 : '>0'}`);
        continue;
      }
      const tags = (b['tags'] as string[]).join('+');
      features.add(`${String(b['type'])}:${tags}`);
      if (b['part_id'] !== undefined && (b['part_id'] as number) > 0) features.add('multi-part payment');
      if (tags.startsWith('channel_open') && orgNodes.has(String(b['peer_id']))) features.add('channel between two nodes of the org');
      if (b['account_id'] === 'external' && b['originating_account'] === 'wallet' && b['blockheight'] === 0) features.add('send broadcast (blockheight 0)');
    }
    for (const f of [
      'chain_mvt:deposit',
      'chain_mvt:withdrawal',
      'chain_mvt:channel_open',
      'chain_mvt:channel_open+opener',
      'chain_mvt:channel_open+opener+leased',
      'chain_mvt:channel_open+leased',
      'chain_mvt:channel_close',
      'chain_mvt:to_them',
      'chain_mvt:anchor+ignored',
      'chain_mvt:anchor',
      'chain_mvt:delayed_to_us',
      'chain_mvt:to_wallet',
      'channel_mvt:invoice',
      'channel_mvt:routed',
      'channel_mvt:pushed',
      'channel_mvt:lease_fee',
      'multi-part payment',
      'channel between two nodes of the org',
      'send broadcast (blockheight 0)',
      'utxo_deposit',
      'utxo_spend',
      'utxo_deposit external bh0',
      'balance_snapshot',
    ]) {
      expect(features, f).toContain(f);
    }
  });

  it('never sends two different notifications with the same bytes', () => {
    const texts = new Set(items.map((i) => JSON.stringify(i.body)));
    expect(texts.size).toBe(items.length);
  });
});

/** The newer format's key order (`created_index`, `primary_tag` + `extra_tags`, `utxo`, `spending_txid`, `group_id`). */
const NEWER_COMMON_KEYS = ['version', 'coin_type', 'node_id', 'type', 'created_index', 'account_id', 'credit_msat', 'debit_msat', 'timestamp', 'primary_tag', 'extra_tags'];
const NEWER_CHAIN_KEYS = [...NEWER_COMMON_KEYS, 'utxo', 'peer_id', 'originating_account', 'spending_txid', 'payment_hash', 'output_msat', 'output_count', 'blockheight'];
const NEWER_CHAIN_REQUIRED = [...NEWER_COMMON_KEYS, 'utxo', 'output_msat', 'blockheight'];
const NEWER_CHANNEL_KEYS = [...NEWER_COMMON_KEYS, 'payment_hash', 'part_id', 'group_id', 'fees_msat'];
const NEWER_CHANNEL_REQUIRED = [...NEWER_COMMON_KEYS, 'fees_msat'];

/** What a notification means once parsed, without what only says how it was written. */
function parsedContent(item: WorkloadItem): unknown {
  const parsed = parseNotification(item.body);
  if (!parsed.ok) throw new Error(`item ${item.seq}: ${JSON.stringify(parsed.issues)} in ${JSON.stringify(item.body)}`);
  if (parsed.notification.name !== 'coin_movement') return parsed.notification;
  const { format: _format, createdIndex: _createdIndex, ...content } = parsed.notification.body;
  return { name: 'coin_movement', body: content };
}

describe('the newer coin_movement format', () => {
  const options = { seed: 9, nodes: 3, channelsPerNode: 4, targetEvents: 8000 };
  const v2 = generateAll({ ...options, formats: { v2: 1 } });
  const newer = generateAll({ ...options, formats: { newer: 1 } });

  it('tells the same history: item for item the same content once parsed, the same expected results', () => {
    expect(newer.items.length).toBe(v2.items.length);
    for (let i = 0; i < v2.items.length; i++) expect(parsedContent(newer.items[i]!), `item ${i}`).toEqual(parsedContent(v2.items[i]!));
    const withoutFormat = (e: ExpectedResults) => ({ ...e, nodes: e.nodes.map(({ format: _format, ...n }) => n) });
    expect(withoutFormat(newer.expected)).toEqual(withoutFormat(v2.expected));
    expect(newer.expected.nodes.map((n) => n.format)).toEqual(['newer', 'newer', 'newer']);
  });

  it('numbers chain and channel moves of each node separately from 1 (created_index), in the order sent', () => {
    const last = new Map<string, number>();
    for (const item of newer.items) {
      if (item.method !== 'coin_movement') continue;
      const b = inner(item);
      const key = `${item.nodeId}|${String(b['type'])}`;
      expect(b['created_index'], key).toBe((last.get(key) ?? 0) + 1);
      last.set(key, b['created_index'] as number);
    }
    expect(last.size).toBe(6);
  });

  it("uses the newer fields and key order; 3rd-party notifications come bare", () => {
    const problems: string[] = [];
    for (const item of newer.items) {
      const body = inner(item);
      const keys = Object.keys(body);
      if (item.method === 'coin_movement') {
        const [order, required] = body['type'] === 'chain_mvt' ? [NEWER_CHAIN_KEYS, NEWER_CHAIN_REQUIRED] : [NEWER_CHANNEL_KEYS, NEWER_CHANNEL_REQUIRED];
        problems.push(...keyOrderProblems(keys, order, required).map((p) => `${item.seq}: ${p}`));
        if ('part_id' in body !== 'group_id' in body) problems.push(`${item.seq}: part_id without group_id`);
      } else if (item.method === 'utxo_deposit' || item.method === 'utxo_spend') {
        if ('payload' in (item.body as Body)) problems.push(`${item.seq}: wrapped`);
        if (item.method === 'utxo_deposit' && body['transfer_from'] === null) problems.push(`${item.seq}: transfer_from null`);
      }
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  it('mixes formats per node; the expected balances still equal a fold over the stream', () => {
    const { items, expected } = generateAll({ ...options, nodes: 6, formats: { v2: 1, newer: 1 }, duplicationRate: 0.05, reorderWindow: 16 });
    const formatOf = new Map(expected.nodes.map((n) => [n.nodeId, n.format]));
    expect(new Set(formatOf.values())).toEqual(new Set(['v2', 'newer']));
    for (const item of items) {
      if (item.method !== 'coin_movement') continue;
      expect('created_index' in inner(item), item.nodeId).toBe(formatOf.get(item.nodeId) === 'newer');
    }
    foldMatchesExpected(items, expected, true);
  });
});

describe('a consistent history (no re-sends, no reordering)', () => {
  const { items, expected } = generateAll({ seed: 8, nodes: 3, channelsPerNode: 4, targetEvents: 20_000 });

  it('timestamps never go back, blockheights stay at or below the tip', () => {
    let last = 0;
    for (const item of items) {
      const b = inner(item);
      const ts = b['timestamp'] as number;
      expect(ts).toBeGreaterThanOrEqual(last);
      last = ts;
      if (typeof b['blockheight'] === 'number') expect(b['blockheight']).toBeLessThanOrEqual(expected.tipBlockheight);
    }
    expect(last).toBe(expected.lastTimestamp);
  });

  it('no account ever goes negative, and every snapshot matches what was sent before it', () => {
    const fold = foldBalances(items);
    expect([...fold.wentNegative]).toEqual([]);
    expect(fold.snapshotMismatches).toEqual([]);
    for (const row of expected.balances) expect(row.balanceMsat >= 0n).toBe(true);
  });

  it('spends only outputs created before; channel moves only on channels opened before', () => {
    const created = new Set<string>();
    const opened = new Set<string>();
    for (const item of items) {
      const b = inner(item);
      if (item.method === 'utxo_deposit') created.add(`${item.nodeId}|${String(b['account'])}|${String(b['outpoint'])}`);
      if (item.method === 'utxo_spend') expect(created.has(`${item.nodeId}|${String(b['account'])}|${String(b['outpoint'])}`)).toBe(true);
      if (item.method !== 'coin_movement') continue;
      const account = String(b['account_id']);
      const key = `${item.nodeId}|${account}|${String(b['utxo_txid'])}:${String(b['vout'])}`;
      if (b['type'] === 'channel_mvt') {
        expect(opened.has(`${item.nodeId}|${account}`), `channel_mvt before channel_open on ${account}`).toBe(true);
      } else if ('txid' in b) {
        if (account !== 'external') expect(created.has(key), `spend of an unknown output ${key}`).toBe(true);
      } else {
        created.add(key);
        if ((b['tags'] as string[])[0] === 'channel_open') opened.add(`${item.nodeId}|${account}`);
      }
    }
  });

  it('closes announce as many outputs as they have; sends get confirmed', () => {
    const outputsOf = new Map<string, Set<number>>();
    const closes: { node: string; txid: string; count: number }[] = [];
    const unconfirmed = new Map<string, string>();
    const spentInto = new Set<string>();
    for (const item of items) {
      const b = inner(item);
      if (item.method === 'coin_movement' && b['type'] === 'chain_mvt') {
        if ('txid' in b) {
          spentInto.add(`${item.nodeId}|${String(b['txid'])}`);
          if (b['output_count'] !== undefined) closes.push({ node: item.nodeId, txid: String(b['txid']), count: b['output_count'] as number });
        } else {
          const k = `${item.nodeId}|${String(b['utxo_txid'])}`;
          if (!outputsOf.has(k)) outputsOf.set(k, new Set());
          outputsOf.get(k)!.add(b['vout'] as number);
          if (b['account_id'] === 'external' && b['blockheight'] === 0) unconfirmed.set(k, JSON.stringify(b));
        }
      } else if (item.method === 'utxo_spend') {
        spentInto.add(`${item.nodeId}|${String(b['spending_txid'])}`);
      } else if (item.method === 'utxo_deposit' && b['account'] === 'external' && b['blockheight'] === 0) {
        unconfirmed.set(`${item.nodeId}|${String(b['outpoint']).split(':')[0]}`, JSON.stringify(b));
      }
    }
    expect(closes.length).toBeGreaterThan(0);
    for (const close of closes) expect(outputsOf.get(`${close.node}|${close.txid}`)?.size, close.txid).toBe(close.count);
    expect(unconfirmed.size).toBeGreaterThan(0);
    for (const [key, body] of unconfirmed) expect(spentInto.has(key), `never confirmed: ${body}`).toBe(true);
  });

  it('forward legs differ by the fee; rebalance halves pair up as CLN pairs them', () => {
    const byHash = new Map<string, Body[]>();
    for (const item of items) {
      const b = inner(item);
      if (item.method !== 'coin_movement' || b['type'] !== 'channel_mvt' || b['payment_hash'] === undefined) continue;
      const key = `${item.nodeId}|${String(b['payment_hash'])}`;
      if (!byHash.has(key)) byHash.set(key, []);
      byHash.get(key)!.push(b);
    }
    let forwards = 0;
    let rebalances = 0;
    for (const moves of byHash.values()) {
      const tag = (moves[0]!['tags'] as string[])[0];
      const credits = moves.filter((m) => (m['credit_msat'] as number) > 0);
      const debits = moves.filter((m) => (m['debit_msat'] as number) > 0);
      if (tag === 'routed') {
        forwards++;
        expect(credits.length).toBe(1);
        expect(debits.length).toBe(1);
        expect((credits[0]!['credit_msat'] as number) - (debits[0]!['debit_msat'] as number)).toBe(debits[0]!['fees_msat']);
      } else if (credits.length > 0 && debits.length > 0) {
        rebalances++;
        expect(credits.length).toBe(1);
        expect(debits.length).toBe(1);
        expect(credits[0]!['credit_msat']).toBe((debits[0]!['debit_msat'] as number) - (debits[0]!['fees_msat'] as number));
      }
    }
    const counted = expected.nodes.reduce((s, n) => ({ f: s.f + n.counts.forwards, r: s.r + n.counts.rebalances }), { f: 0, r: 0 });
    expect(forwards).toBe(counted.f);
    expect(rebalances).toBe(counted.r);
  });
});

describe('expected results', () => {
  it.each([
    { seed: 1, nodes: 1, channelsPerNode: 2, targetEvents: 2000 },
    { seed: 2, nodes: 2, channelsPerNode: 4, targetEvents: 10_000, duplicationRate: 0.05, reorderWindow: 32 },
    { seed: 'org', nodes: 5, channelsPerNode: 6, targetEvents: 30_000, duplicationRate: 0.02, reorderWindow: 200 },
  ])('equal an independent fold over the emitted stream (%o)', (options) => {
    const { items, expected } = generateAll(options);
    foldMatchesExpected(items, expected, true);
    expect(foldBalances(items, { dropReplays: true }).snapshotMismatches).toEqual([]);
  });

  it('add up: each node’s balances = its inflows − outflows', () => {
    const { expected } = generateAll({ seed: 13, nodes: 4, channelsPerNode: 5, targetEvents: 30_000 });
    for (const node of expected.nodes) expect(node.balanceTotalMsat, node.label).toBe(netFlowMsat(node));
    expect(expected.org.balanceTotalMsat).toBe(netFlowMsat(expected.org));
    expect(expected.org.transfersInMsat).toBe(expected.org.transfersOutMsat);
    expect(expected.org.internalInvoicesMsat).toBeGreaterThan(0n);
    expect(expected.org.routingFeesEarnedMsat).toBeGreaterThan(0n);
    expect(expected.org.anchorsPaidMsat + expected.org.anchorsReceivedMsat).toBeGreaterThan(0n);
  });

  it('counts what was sent, re-sends included', () => {
    const { items, expected } = generateAll({ seed: 4, targetEvents: 5000, duplicationRate: 0.1 });
    expect(expected.notifications.total).toBe(items.length);
    expect(items.filter((i) => i.duplicate).length).toBe(expected.notifications.duplicates);
    expect(expected.notifications.base).toBeGreaterThanOrEqual(5000);
    expect(expected.notifications.base).toBeLessThan(5100);
    const byKind = Object.values(expected.notifications.byKind).reduce((a, b) => a + b, 0);
    expect(byKind).toBe(expected.notifications.base);
    // A re-send is byte-identical to something sent before it (no reordering here).
    const seen = new Set<string>();
    for (const item of items) {
      const text = JSON.stringify(item.body);
      if (item.duplicate) expect(seen.has(text)).toBe(true);
      seen.add(text);
    }
  });

  it('survive a JSON round trip with exact amounts', () => {
    const { expected } = generateAll({ seed: 6, targetEvents: 1000 });
    const text = JSON.stringify(expectedToJson(expected));
    expect(expectedFromJson(JSON.parse(text))).toEqual(expected);
    expect(text).not.toMatch(/"balanceMsat":\d/);
  });

  it('cannot be read before the stream was consumed', () => {
    expect(() => new Workload({ targetEvents: 10 }).expected()).toThrow(/iterate/);
  });
});

describe('options', () => {
  it('rejects what is out of range, naming the option', () => {
    expect(() => resolveWorkloadOptions({ nodes: 0 })).toThrow(/nodes/);
    expect(() => resolveWorkloadOptions({ targetEvents: 1.5 })).toThrow(/targetEvents/);
    expect(() => resolveWorkloadOptions({ duplicationRate: 2 })).toThrow(/duplicationRate/);
    expect(() => resolveWorkloadOptions({ formats: { v3: 1 } as never })).toThrow(/unknown format "v3"/);
    expect(resolveWorkloadOptions({ formats: { newer: 1 } }).formats).toEqual({ newer: 1 });
    expect(() => resolveWorkloadOptions({ formats: { v2: 0 } })).toThrow(/formats/);
    expect(() => resolveWorkloadOptions({ coinType: 'BTC' })).toThrow(/coinType/);
  });

  it('stops near the target even for tiny targets', () => {
    const { items } = generateAll({ seed: 1, targetEvents: 1 });
    expect(items.length).toBeGreaterThanOrEqual(1);
    expect(items.length).toBeLessThan(20);
  });
});
