import { ActivityDriver } from './driver.js';
import { computeExpected, type ExpectedResults } from './expected.js';
import { FORMAT_NAMES, type FormatName } from './formats/index.js';
import { RandomIds } from './ids.js';
import { World, type Emission } from './model.js';
import { Rng } from './prng.js';
import { NOTIFICATION_KINDS, notificationKindOf, type NotificationKind } from './records.js';
import { withDuplicates, withReorder, type StreamItem, type WorkloadItem } from './stream.js';

export interface WorkloadOptions {
  /** Everything is a function of the seed and the other options. Default 1. */
  readonly seed?: number | string;
  /** CLN nodes of the organization (1–1000). Default 2. */
  readonly nodes?: number;
  /** Channels each node keeps open (1–500); closed ones are replaced. Default 4. */
  readonly channelsPerNode?: number;
  /**
   * Notifications to generate (1 to 100M), before re-sends. The simulator stops starting new
   * activities when it is reached and then finishes those in flight (unconfirmed sends, delayed
   * sweeps), so the history ends consistent, usually a few notifications above the target.
   * Default 1000.
   */
  readonly targetEvents?: number;
  /** Probability that a notification is sent again, exactly, shortly after (0–1). Default 0. */
  readonly duplicationRate?: number;
  /** Local shuffle window: no notification moves more than this many places (0 = the order nodes sent them in; at most 10 000). Default 0. */
  readonly reorderWindow?: number;
  /**
   * Which notification format each node speaks (`v2`, `newer`: see formats/format.ts), as relative
   * weights: `{ newer: 1 }` for all nodes, `{ v2: 1, newer: 1 }` for a mix. Default `{ v2: 1 }`.
   */
  readonly formats?: Readonly<Partial<Record<FormatName, number>>>;
  /** Default `bcrt`. */
  readonly coinType?: string;
  /** Unix seconds of the first block. Default 1 700 000 000 (Nov 2023). */
  readonly startTime?: number;
  /** Height of the first block. Default 200. */
  readonly startHeight?: number;
  /** Mean seconds between two activities of the organization. Default 20. */
  readonly meanSecondsBetweenActions?: number;
  /** Attach a human-readable `note` to every item. Default false. */
  readonly notes?: boolean;
}

export type ResolvedWorkloadOptions = Required<WorkloadOptions>;

export const DEFAULT_WORKLOAD_OPTIONS: ResolvedWorkloadOptions = {
  seed: 1,
  nodes: 2,
  channelsPerNode: 4,
  targetEvents: 1000,
  duplicationRate: 0,
  reorderWindow: 0,
  formats: { v2: 1 },
  coinType: 'bcrt',
  startTime: 1_700_000_000,
  startHeight: 200,
  meanSecondsBetweenActions: 20,
  notes: false,
};

/** Fills in defaults and checks every option; throws with the option's name when one is out of range. */
export function resolveWorkloadOptions(options: WorkloadOptions = {}): ResolvedWorkloadOptions {
  const o = { ...DEFAULT_WORKLOAD_OPTIONS, ...stripUndefined(options) };
  integer('nodes', o.nodes, 1, 1000);
  integer('channelsPerNode', o.channelsPerNode, 1, 500);
  integer('targetEvents', o.targetEvents, 1, 100_000_000);
  integer('reorderWindow', o.reorderWindow, 0, 10_000);
  integer('startTime', o.startTime, 0, 2 ** 40);
  integer('startHeight', o.startHeight, 0, 100_000_000);
  if (!(o.duplicationRate >= 0 && o.duplicationRate <= 1)) throw new Error(`duplicationRate: expected 0–1, got ${o.duplicationRate}`);
  if (!(o.meanSecondsBetweenActions > 0 && o.meanSecondsBetweenActions <= 86_400)) {
    throw new Error(`meanSecondsBetweenActions: expected 0–86400, got ${o.meanSecondsBetweenActions}`);
  }
  if (!/^[a-z]{1,8}$/.test(o.coinType)) throw new Error(`coinType: expected a bech32 hrp like "bc", "tb" or "bcrt", got "${o.coinType}"`);
  if (typeof o.seed === 'number' && !Number.isSafeInteger(o.seed)) throw new Error(`seed: expected an integer or a string, got ${o.seed}`);
  let formatTotal = 0;
  for (const [name, weight] of Object.entries(o.formats)) {
    if (!(FORMAT_NAMES as readonly string[]).includes(name)) throw new Error(`formats: unknown format "${name}" (known: ${FORMAT_NAMES.join(', ')})`);
    if (!(typeof weight === 'number' && weight >= 0)) throw new Error(`formats.${name}: expected a weight ≥ 0`);
    formatTotal += weight;
  }
  if (!(formatTotal > 0)) throw new Error('formats: at least one format needs a weight above 0');
  return o;
}

/**
 * A generated history of an organization of CLN nodes: iterate it (lazily, in bounded memory,
 * any size) for the notifications, then ask for the expected results. Every iteration
 * regenerates the same history from the options.
 */
export class Workload implements Iterable<WorkloadItem> {
  readonly options: ResolvedWorkloadOptions;
  private lastExpected: ExpectedResults | null = null;

  constructor(options: WorkloadOptions = {}) {
    this.options = resolveWorkloadOptions(options);
  }

  [Symbol.iterator](): Iterator<WorkloadItem> {
    return this.items();
  }

  *items(): Generator<WorkloadItem> {
    const o = this.options;
    const root = new Rng(o.seed);
    const world = new World({
      ids: new RandomIds(root.fork(1)),
      rng: root.fork(2),
      coinType: o.coinType,
      startTime: o.startTime,
      startHeight: o.startHeight,
      notes: o.notes,
    });
    const driver = new ActivityDriver(world, root.fork(3), {
      nodes: o.nodes,
      channelsPerNode: o.channelsPerNode,
      formats: o.formats,
      meanSecondsBetweenActions: o.meanSecondsBetweenActions,
    });
    const duplicateRng = root.fork(4);
    const reorderRng = root.fork(5);
    driver.setup();

    const counts = newKindCounts();
    let base = 0;
    let duplicates = 0;
    let firstTimestamp = Number.POSITIVE_INFINITY;
    let lastTimestamp = o.startTime;
    this.lastExpected = null;

    function* encoded(): Generator<StreamItem> {
      for (const emission of simulate(world, () => driver.step(), o.targetEvents)) {
        const body = emission.node.format.encode(emission.record);
        if (body === null) continue;
        const method = notificationKindOf(emission.record);
        counts[method]++;
        base++;
        const ts = emission.record.timestamp;
        if (ts < firstTimestamp) firstTimestamp = ts;
        if (ts > lastTimestamp) lastTimestamp = ts;
        yield emission.note === undefined ? { nodeId: emission.node.id, method, body, duplicate: false } : { nodeId: emission.node.id, method, body, duplicate: false, note: emission.note };
      }
    }

    let seq = 0;
    for (const item of withReorder(withDuplicates(encoded(), o.duplicationRate, duplicateRng), o.reorderWindow, reorderRng)) {
      if (item.duplicate) duplicates++;
      yield { seq: seq++, ...item };
    }
    this.lastExpected = computeExpected(world, {
      seed: o.seed,
      notifications: { base, duplicates, total: base + duplicates, byKind: counts },
      firstTimestamp: Number.isFinite(firstTimestamp) ? firstTimestamp : o.startTime,
      lastTimestamp,
      internalInvoicesMsat: world.internalInvoicesMsat,
    });
  }

  /** The expected results of the last complete iteration. */
  expected(): ExpectedResults {
    if (this.lastExpected === null) throw new Error('Workload.expected(): iterate the whole workload first');
    return this.lastExpected;
  }
}

export function generateWorkload(options: WorkloadOptions = {}): Workload {
  return new Workload(options);
}

/** Generates everything in memory: for small histories (tests, demos). */
export function generateAll(options: WorkloadOptions = {}): { items: WorkloadItem[]; expected: ExpectedResults } {
  const workload = new Workload(options);
  const items = [...workload];
  return { items, expected: workload.expected() };
}

/**
 * Runs a world: sends every batch that is due, otherwise lets `act` do one activity (which
 * moves the clock), until `target` notifications were sent; then sends whatever is still
 * scheduled (confirmations, sweeps), moving the clock to each.
 */
export function* simulate(world: World, act: () => void, target: number): Generator<Emission> {
  let sent = 0;
  while (sent < target) {
    const next = world.nextBatchTime();
    if (next !== undefined && next <= world.now) {
      for (const emission of world.popBatch()!) {
        sent++;
        yield emission;
      }
      continue;
    }
    act();
  }
  for (;;) {
    const next = world.nextBatchTime();
    if (next === undefined) break;
    if (next > world.now) world.now = next;
    yield* world.popBatch()!;
  }
}

function newKindCounts(): Record<NotificationKind, number> {
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, 0])) as Record<NotificationKind, number>;
}

function integer(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name}: expected an integer ${min}–${max}, got ${value}`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
