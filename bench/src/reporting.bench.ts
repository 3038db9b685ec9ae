import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { NatsClient, provisionConsumer, provisionStreams } from '@bkpr/messaging';
import { factsSql, migrateDatabase, NODE_IDS_SQL } from '@bkpr/persistence';
import { freePort, freshNamespace, startServiceProcess, type RunningService } from '@bkpr/testing';
import { Workload } from '@bkpr/workload';
import pg from 'pg';
import { FactsCopier } from './copy-facts.js';
import { movementsOfNotification } from './movements.js';
import { allocProfileDir, heapSnapshotDir, profilingEnv, writeProfile } from './profiling.js';
import { perSecond, round, timed } from './stats.js';

export interface ReportingBenchOptions {
  /** Notifications generated (movements are a few more: a snapshot names several accounts). */
  readonly events: number;
  readonly nodes: number;
  readonly channelsPerNode: number;
  readonly listbalancesCalls: number;
}

/**
 * Node flags for the reporting process: those its image runs it with (Dockerfile, target
 * reporting), or others to measure what they do (e.g.
 * `BENCH_REPORTING_NODE_OPTIONS=--max-semi-space-size=2`; empty: none).
 */
const REPORTING_NODE_OPTIONS = process.env['BENCH_REPORTING_NODE_OPTIONS'] ?? '--max-semi-space-size=4';

/** The environment reporting's image sets (Dockerfile, target reporting): measured as deployed. */
const REPORTING_ENV = { MALLOC_MMAP_THRESHOLD_: '131072' };

/** The ledger consumer's settings as the ledger provisions it (its defaults), so read-your-writes finds it. */
const LEDGER_CONSUMER = { maxDeliver: 5, ackWaitMs: 30_000, maxAckPending: 2_000 };

interface Loaded {
  readonly notifications: number;
  readonly movements: number;
  readonly nodes: string[];
  /** The channel account with the most movements, and its node. */
  readonly busiestChannel: { nodeId: string; account: string; movements: number };
  readonly copy: { rows: number; copyMs: number; accounts: number };
  readonly loadMs: number;
}

/**
 * Generates the organization's history (streamed: nothing but the current chunk is kept),
 * normalizes it as the gateway does and COPYs the movements into the fact tables with
 * their arrival order (stream sequence 1, 2, …).
 */
async function load(databaseUrl: string, options: ReportingBenchOptions): Promise<Loaded> {
  const copier = await FactsCopier.open(databaseUrl);
  const started = performance.now();
  let notifications = 0;
  let seq = 0;
  const nodes = new Set<string>();
  const perAccount = new Map<string, number>();
  try {
    const workload = new Workload({ seed: 7, nodes: options.nodes, channelsPerNode: options.channelsPerNode, targetEvents: options.events, formats: { v2: 1, newer: 1 } });
    for (const item of workload) {
      notifications += 1;
      for (const m of movementsOfNotification(item.body, item.nodeId)) {
        nodes.add(m.nodeId);
        if (m.kind === 'channel') {
          const key = `${m.nodeId} ${m.account}`;
          perAccount.set(key, (perAccount.get(key) ?? 0) + 1);
        }
        await copier.add(m, ++seq);
      }
    }
    const copy = await copier.finish();
    const [key, movements] = [...perAccount].reduce((a, b) => (b[1] > a[1] ? b : a));
    const [nodeId, account] = key.split(' ') as [string, string];
    return { notifications, movements: seq, nodes: [...nodes].sort(), busiestChannel: { nodeId, account, movements }, copy, loadMs: performance.now() - started };
  } finally {
    await copier.close();
  }
}

/** The answer's body as text (what a client receives), refusing anything but 200. */
async function rpc(reporting: RunningService, method: string, params: object): Promise<string> {
  const res = await fetch(`${reporting.url}/v1/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

/** A call timed to its answer's last byte, as a client that streams it on (not decoding it) would see it. */
async function rpcToLastByte(reporting: RunningService, method: string, params: object): Promise<void> {
  const res = await fetch(`${reporting.url}/v1/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  if (res.status !== 200 || !res.body) throw new Error(`${method} answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  for await (const chunk of res.body) void chunk;
}

/** Reads the CSV as it streams in; resolves when the last byte arrived, with its size and digest. */
async function csv(reporting: RunningService, query: string): Promise<{ bytes: number; rows: number; sha256: string }> {
  const res = await fetch(`${reporting.url}/v1/income.csv?${query}`);
  if (res.status !== 200 || !res.body) throw new Error(`income.csv answered ${res.status}: ${(await res.text()).slice(0, 500)}`);
  const hash = createHash('sha256');
  let bytes = 0;
  let rows = 0;
  for await (const chunk of res.body) {
    hash.update(chunk);
    bytes += chunk.length;
    for (const byte of chunk) if (byte === 10) rows += 1;
  }
  return { bytes, rows, sha256: hash.digest('hex') };
}

/** Peak and current resident memory of a process, from the kernel (MiB). */
function memoryOf(pid: number): { peak_rss_mib: number; rss_mib: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { peak_rss_mib: round(kib('VmHWM') / 1024, 0), rss_mib: round(kib('VmRSS') / 1024, 0) };
}

/**
 * The reporting process's V8 heap (used and reserved) and external memory (Buffers) in MiB, and
 * its garbage collections so far by pause length, from its Prometheus metrics (prom-client's
 * defaults: `nodejs_heap_size_*`, `nodejs_gc_duration_seconds`).
 */
interface HeapFigures {
  readonly heap_used_mib: number;
  readonly heap_total_mib: number;
  readonly external_mib: number;
  /** Collections so far by kind and longest pause (cumulative buckets, as Prometheus counts them). */
  readonly gc: Record<string, number>;
}

async function heapOf(reporting: RunningService): Promise<HeapFigures> {
  const text = await (await fetch(`${reporting.url}/metrics`)).text();
  const value = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  const mib = (name: string) => round(value(name) / 1048576, 0);
  const gcs: Record<string, number> = {};
  for (const [, labels, count] of text.matchAll(/^nodejs_gc_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    const kind = /kind="([^"]+)"/.exec(labels!)?.[1];
    const le = /le="([^"]+)"/.exec(labels!)?.[1];
    if (kind === 'major' || kind === 'minor') gcs[`${kind}_le_${le}_s`] = Number(count);
  }
  return { heap_used_mib: mib('nodejs_heap_size_used_bytes'), heap_total_mib: mib('nodejs_heap_size_total_bytes'), external_mib: mib('nodejs_external_memory_bytes'), gc: gcs };
}

/** PostgreSQL's plans of reporting's queries, as run (EXPLAIN ANALYZE, BUFFERS), one line each. */
async function explain(databaseUrl: string, nodeId: string, lastSeq: number): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const plan = async (text: string, values: unknown[] = []) => ((await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${text}`, values)).rows as { 'QUERY PLAN': string }[]).map((r) => r['QUERY PLAN']);
    const all = factsSql(nodeId, 0n, BigInt(lastSeq));
    const recent = factsSql(nodeId, BigInt(Math.max(0, lastSeq - 1_000)), BigInt(lastSeq));
    return { facts_of_node_all: await plan(all.text, all.values), facts_of_node_last_1000_seq: await plan(recent.text, recent.values), node_ids: await plan(NODE_IDS_SQL) };
  } finally {
    await client.end();
  }
}

/** Asks `pid` (started with --heapsnapshot-signal=SIGUSR1) for a heap snapshot; resolves once its file stopped growing. */
async function heapSnapshot(pid: number, dir: string): Promise<void> {
  const ours = () => readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot') && f.includes(`.${pid}.`));
  const before = new Set(ours());
  process.kill(pid, 'SIGUSR1');
  let size = -1;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const file = ours().find((f) => !before.has(f));
    if (file === undefined) continue;
    const now = statSync(join(dir, file)).size;
    if (now > 0 && now === size) return;
    size = now;
  }
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

/**
 * Reporting over a large organization: its history loaded with COPY (the limit: PostgreSQL's
 * COPY rate into the fact tables), then the reporting service's first call (the fold of
 * every node), and warm: listincome, listbalances, one channel's events, the CSV export
 * streamed to the last byte, and the service's peak RSS. `answers_sha256` fingerprints the
 * answers, so a change can be checked to answer byte for byte the same.
 */
export async function reportingBench(options: ReportingBenchOptions): Promise<Record<string, unknown>> {
  const ns = freshNamespace('bkpr_bench');
  await migrateDatabase(ns.databaseUrl);
  const nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'bench' });
  let reporting: RunningService | null = null;
  try {
    const loaded = await load(ns.databaseUrl, options);
    const analyzeStarted = performance.now();
    const admin = new pg.Client({ connectionString: ns.databaseUrl });
    await admin.connect();
    await admin.query('VACUUM ANALYZE');
    await admin.end();
    const analyzeMs = performance.now() - analyzeStarted;

    // The bus as if the ledger had taken every movement from the stream and acked it: the
    // movements stream starts after the last sequence stored, the ledger's consumer has
    // nothing pending, so read-your-writes answers as of that sequence at once.
    await provisionStreams(nats.jsm, nats.names);
    await nats.jsm.streams.purge(nats.names.streams.movements, { seq: loaded.movements + 1 });
    await provisionConsumer(nats.jsm, { stream: nats.names.streams.movements, filterSubject: nats.names.movementFilter, durable: nats.names.consumers.ledger, ...LEDGER_CONSUMER });

    // Profiled as BENCH_*_DIR ask (profiling.ts), with the node flags reporting runs with.
    const profiling = profilingEnv();
    const nodeOptions = [REPORTING_NODE_OPTIONS, profiling['NODE_OPTIONS']].filter(Boolean).join(' ');
    reporting = await startServiceProcess('reporting', await freePort(), ns.env({ LOG_LEVEL: 'error', ...REPORTING_ENV, ...profiling, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) }));
    const pid = reporting.process.pid!;
    const r = reporting;
    const afterStart = memoryOf(pid);

    const [node] = loaded.nodes as [string];
    const channel = loaded.busiestChannel;
    let started = performance.now();
    const balances = await rpc(r, 'bkpr-listbalances', {});
    const firstCallMs = performance.now() - started;
    const asOf = (JSON.parse(balances) as { as_of: number }).as_of;
    if (asOf !== loaded.movements) throw new Error(`listbalances is as of ${asOf}, expected ${loaded.movements}`);
    const afterFold = memoryOf(pid);
    const heapAfterFold = await heapOf(r);
    // The peak from here to the CSV is the queries' own (the kernel resets VmHWM on "5" to clear_refs).
    writeFileSync(`/proc/${pid}/clear_refs`, '5');

    started = performance.now();
    const income = await rpc(r, 'bkpr-listincome', {});
    const listincomeFirstMs = performance.now() - started;
    const incomeRows = (JSON.parse(income) as { income_events: unknown[] }).income_events.length;
    const events = await rpc(r, 'bkpr-listaccountevents', { node_id: channel.nodeId, account: channel.account });
    const nodeIncome = await rpc(r, 'bkpr-listincome', { node_id: node });
    const unconsolidated = await rpc(r, 'bkpr-listincome', { consolidate_fees: false });

    // The collections while listbalances is timed: what its p99 meets.
    const beforeBalances = await heapOf(r);
    if (allocProfileDir) process.kill(pid, 'SIGWINCH'); // not SIGUSR2: Nest shuts down on it
    const listbalancesMs = await timed(options.listbalancesCalls, () => rpcToLastByte(r, 'bkpr-listbalances', {}));
    const listbalancesOneNodeMs = await timed(options.listbalancesCalls, () => rpcToLastByte(r, 'bkpr-listbalances', { node_id: node }));
    const afterBalances = await heapOf(r);
    if (allocProfileDir) process.kill(pid, 'SIGWINCH'); // not SIGUSR2: Nest shuts down on it
    const gcDuringBalances = Object.fromEntries(Object.entries(afterBalances.gc).map(([bucket, count]) => [bucket, count - (beforeBalances.gc[bucket] ?? 0)]));
    const queries = {
      listbalances_ms: listbalancesMs,
      listbalances_one_node_ms: listbalancesOneNodeMs,
      listincome_consolidated_ms: await timed(5, () => rpcToLastByte(r, 'bkpr-listincome', {})),
      listincome_consolidated_one_node_ms: await timed(5, () => rpcToLastByte(r, 'bkpr-listincome', { node_id: node })),
      listaccountevents_one_channel_ms: await timed(20, () => rpcToLastByte(r, 'bkpr-listaccountevents', { node_id: channel.nodeId, account: channel.account })),
      dumpincomecsv_rpc_ms: await timed(20, () => rpcToLastByte(r, 'bkpr-dumpincomecsv', { csv_format: 'koinly' })),
    };
    const duringQueries = memoryOf(pid);
    const beforeCsv = { peak_rss_mib: Math.max(afterFold.peak_rss_mib, duringQueries.peak_rss_mib), rss_mib: duringQueries.rss_mib };
    const heapBeforeCsv = await heapOf(r);
    if (heapSnapshotDir) await heapSnapshot(pid, heapSnapshotDir);
    // The peak from here on is the CSV's own (the kernel resets VmHWM on "5" to clear_refs).
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    let csvAnswer = { bytes: 0, rows: 0, sha256: '' };
    const csvMs = await timed(3, async () => (csvAnswer = await csv(r, 'csv_format=koinly')));
    const afterCsv = memoryOf(pid);
    const plans = await explain(ns.databaseUrl, node, loaded.movements);

    return {
      suite: 'reporting',
      reporting_node_options: REPORTING_NODE_OPTIONS,
      notifications: loaded.notifications,
      movements: loaded.movements,
      nodes: loaded.nodes.length,
      accounts: loaded.copy.accounts,
      load: {
        copy_rows: loaded.copy.rows,
        copy_rows_per_s: perSecond(loaded.copy.rows, loaded.copy.copyMs),
        copy_ms: round(loaded.copy.copyMs, 0),
        generate_normalize_copy_ms: round(loaded.loadMs, 0),
        generate_normalize_copy_movements_per_s: perSecond(loaded.movements, loaded.loadMs),
        vacuum_analyze_ms: round(analyzeMs, 0),
      },
      first_call_listbalances_ms: round(firstCallMs, 0),
      listincome_first_ms: round(listincomeFirstMs, 0),
      income_rows: incomeRows,
      busiest_channel: { account: channel.account, movements: channel.movements, answer_bytes: events.length },
      queries: { ...queries, income_csv_koinly_ms: csvMs },
      income_csv: { bytes: csvAnswer.bytes, lines: csvAnswer.rows + 1 },
      reporting_env: REPORTING_ENV,
      // before_csv.peak_rss_mib: the highest since the start; peak_during_queries: since the first fold.
      reporting_memory_mib: { after_start: afterStart, after_first_fold: afterFold, peak_during_queries: duringQueries.peak_rss_mib, before_csv: beforeCsv, peak_during_csv: afterCsv.peak_rss_mib, after_csv: afterCsv.rss_mib },
      reporting_heap: { after_first_fold: heapAfterFold, before_csv: heapBeforeCsv, gc_during_listbalances: gcDuringBalances },
      answers_sha256: {
        listbalances: sha256(balances),
        listincome: sha256(income),
        listincome_one_node: sha256(nodeIncome),
        listincome_unconsolidated: sha256(unconsolidated),
        listaccountevents: sha256(events),
        income_csv_koinly: csvAnswer.sha256.slice(0, 16),
      },
      explain: plans,
    };
  } finally {
    if (reporting) await writeProfile(reporting);
    await reporting?.stop();
    await nats.close();
    await ns.cleanup();
  }
}
