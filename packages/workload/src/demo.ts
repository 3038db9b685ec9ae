import { parseNotification } from '@bkpr/contracts';
import { computeExpected, type ExpectedResults } from './expected.js';
import { createV2Format } from './formats/index.js';
import { ReadableIds } from './ids.js';
import type { JsonObject } from './json.js';
import { CoinPool, MSAT_PER_SAT, World, type Channel, type Emission } from './model.js';
import { Rng } from './prng.js';
import { NOTIFICATION_KINDS, notificationKindOf, type NotificationKind } from './records.js';
import type { WorkloadItem } from './stream.js';

/** The demo node (the same id the launcher's hand-written demo used). */
export const DEMO_NODE_ID = '02a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const DEMO_START = 1_767_225_600; // 2026-01-01T00:00:00Z
const DEMO_HEIGHT = 900_000;
const HOUR = 3600;

export interface DemoOptions {
  /**
   * `accepted` (default): only the notifications `parseNotification` of @bkpr/contracts
   * accepts, so the gateway takes the whole demo in one request (it rejects a request with
   * any invalid item); today that is all of them. `all`: every notification of the story,
   * unchecked.
   */
  readonly include?: 'accepted' | 'all';
}

interface DemoRun {
  readonly items: WorkloadItem[];
  readonly expected: ExpectedResults;
}

let cached: DemoRun | null = null;

/**
 * A small history one can read: one node, two channels, about thirty notifications, each with
 * a `note` saying what happened (CLN's v2 notifications carry no description, so the story
 * lives beside them). The node funds its wallet, opens a channel to Alice (with a push), gets
 * one from Bob, is paid and pays (single and multi-part), forwards, rebalances, reports a
 * snapshot, moves savings from its cold storage (a 3rd-party wallet) into its wallet, pays a
 * supplier on chain, and closes Bob's channel cooperatively.
 */
export function demoItems(options: DemoOptions = {}): WorkloadItem[] {
  const run = (cached ??= runDemo());
  if ((options.include ?? 'accepted') === 'all') return run.items;
  return run.items.filter((item) => parseNotification(item.body).ok).map((item, seq) => ({ ...item, seq }));
}

/** The demo's notification bodies, ready to POST to the gateway as a JSON array. */
export function demoHistory(options: DemoOptions = {}): JsonObject[] {
  return demoItems(options).map((item) => item.body);
}

/** What the whole demo (`include: 'all'`) must add up to. */
export function demoExpected(): ExpectedResults {
  return (cached ??= runDemo()).expected;
}

function runDemo(): DemoRun {
  const world = new World({ ids: new ReadableIds(), rng: new Rng('demo'), coinType: 'bcrt', startTime: DEMO_START, startHeight: DEMO_HEIGHT, notes: true });
  const node = world.addNode(DEMO_NODE_ID, 'the node', createV2Format());
  const coldStorage = { name: 'cold storage', coins: new CoinPool(), seen: false };
  node.thirdPartyWallets.push(coldStorage);
  const us = { kind: 'org', node } as const;
  const alice = { kind: 'external', peerId: world.ids.nodeId() } as const;
  const bob = { kind: 'external', peerId: world.ids.nodeId() } as const;
  let aliceChannel: Channel | null = null;
  let bobChannel: Channel | null = null;
  const a = (): Channel => aliceChannel!;
  const b = (): Channel => bobChannel!;
  const sat = (n: bigint): bigint => n * MSAT_PER_SAT;

  const steps: (() => boolean)[] = [
    () => world.depositFromOutside(node, 5_000_000n, 'Salary withdrawn from the exchange arrives in the wallet'),
    () =>
      (aliceChannel = world.openChannel({
        opener: us,
        accepter: alice,
        openerFundingSat: 2_000_000n,
        pushMsat: sat(10_000n),
        anchors: true,
        feerateSatPerVbyte: 5n,
        note: "We open a 2,000,000 sat channel to Alice's node and push her 10,000 sat",
      })) !== null,
    () =>
      (bobChannel = world.openChannel({
        opener: bob,
        accepter: us,
        openerFundingSat: 3_000_000n,
        anchors: false,
        feerateSatPerVbyte: 5n,
        note: 'Bob opens a 3,000,000 sat channel to us',
      })) !== null,
    () => world.payInvoice(node, [{ channel: a(), amountMsat: sat(250_000n), feeMsat: 25_000n }], 'We pay the VPS hosting invoice (250,000 sat) through Alice'),
    () => world.receiveInvoice(node, [{ channel: b(), amountMsat: sat(150_000n) }], 'A customer pays 150,000 sat for coffee beans'),
    () =>
      world.receiveInvoice(
        node,
        [
          { channel: a(), amountMsat: 60_000_000n },
          { channel: b(), amountMsat: 40_000_500n },
        ],
        'A consulting invoice is paid in two parts',
      ),
    () =>
      world.payInvoice(
        node,
        [
          { channel: a(), amountMsat: 30_000_000n, feeMsat: 3_000n },
          { channel: b(), amountMsat: 20_000_000n, feeMsat: 2_000n },
        ],
        'We pay a conference ticket in two parts',
      ),
    () => world.forward(node, b(), a(), 100_000_000n, 1_000n, 'We forward 100,000 sat from Bob to Alice and earn 1 sat'),
    () => world.rebalance(node, a(), b(), 50_000_000n, 500n, "We move 50,000 sat of liquidity from Alice's channel to Bob's"),
    () => world.snapshot(node, 'The node reports its balances'),
    () => world.thirdPartyDepositFromOutside(node, coldStorage, 1_000_000n, 'Savings arrive in the cold storage wallet'),
    () => world.sendOnchain({ kind: 'third_party', node, wallet: coldStorage }, 400_000n, 3n, { kind: 'wallet', node }, 'We move 400,000 sat from cold storage to the node'),
    () => world.sendOnchain({ kind: 'wallet', node }, 300_000n, 4n, null, 'We pay a supplier 300,000 sat on chain'),
    () => world.mutualClose(b(), 1_000n, "Bob's channel is closed cooperatively"),
    () => world.snapshot(node, 'The node reports its balances again'),
  ];

  const emissions: Emission[] = [];
  const sendDue = (): void => {
    for (let next = world.nextBatchTime(); next !== undefined && next <= world.now; next = world.nextBatchTime()) {
      emissions.push(...world.popBatch()!);
    }
  };
  steps.forEach((step, i) => {
    sendDue();
    if (!step()) throw new Error(`demo step ${i + 1} was not possible`);
    world.now += HOUR;
  });
  for (let next = world.nextBatchTime(); next !== undefined; next = world.nextBatchTime()) {
    if (next > world.now) world.now = next;
    emissions.push(...world.popBatch()!);
  }

  const byKind = Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, 0])) as Record<NotificationKind, number>;
  const items: WorkloadItem[] = emissions.map((e, seq) => {
    const method = notificationKindOf(e.record);
    byKind[method]++;
    return { seq, nodeId: e.node.id, method, body: e.node.format.encode(e.record)!, duplicate: false, note: e.note ?? '' };
  });
  const timestamps = emissions.map((e) => e.record.timestamp);
  const expected = computeExpected(world, {
    seed: 'demo',
    notifications: { base: items.length, duplicates: 0, total: items.length, byKind },
    firstTimestamp: Math.min(...timestamps),
    lastTimestamp: Math.max(...timestamps),
    internalInvoicesMsat: world.internalInvoicesMsat,
  });
  return { items, expected };
}
