import { performance } from 'node:perf_hooks';
import { movementToWire } from '@bkpr/contracts';
import { encodeJson, NatsClient, provisionStreams, publishAll, type PublishRequest } from '@bkpr/messaging';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, startServiceProcess, type RunningService } from '@bkpr/testing';
import { movementsOfNotification } from './movements.js';
import { cpuTicks, natsServerPid, threadTicks, USEC_PER_TICK } from './proc-cpu.js';
import { profilingEnv, writeProfile } from './profiling.js';
import { percentile, perSecond, pool, round } from './stats.js';

const NODE = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const CHANNEL = '71b0d2a6082ddb2c407ef003aa888c97d3dc5fb78a9011082ad04c27b8151119';

/** A channel movement unique by `i` (its own payment hash and timestamp). */
function notification(i: number, salt: string): Record<string, unknown> {
  return {
    coin_movement: {
      version: 2,
      node_id: NODE,
      type: 'channel_mvt',
      account_id: CHANNEL,
      payment_hash: (salt + i.toString(16)).padStart(64, '0').slice(-64),
      part_id: 0,
      credit_msat: 1_000 + i,
      debit_msat: 0,
      fees_msat: 0,
      tags: ['invoice'],
      timestamp: 1_700_000_000 + i,
      coin_type: 'bc',
    },
  };
}

/** Movements ready to publish: their payloads already encoded. */
type RawBatch = (PublishRequest & { readonly payload: Uint8Array })[];

export interface IngestBenchOptions {
  readonly movements: number;
  readonly batchSize: number;
  readonly singlePosts: number;
  readonly concurrency: number;
  /** NDJSON batches in flight at once (several nodes posting). */
  readonly batchConcurrency: number;
}

/**
 * Ingest throughput on this machine, in one run: the raw JetStream async publish rate of the
 * same movements (the limit: nats.js's `js.publish`, a batch's publishes in flight together),
 * the gateway with NDJSON batches, and single POSTs. The raw side sends each movement exactly as
 * the gateway does (subject, Nats-Msg-Id, payload bytes, encoded before the clock). Raw and
 * gateway are each timed twice: from a cold start, then again, warm (`steady_state`), where the
 * gateway's own publisher (`publishAll`, which skips the library's per-message promise, timer
 * and Error) is timed alone too: the gateway's rate over that one is what its checking costs.
 * Where the CPU went, per process and per movement, is in `cpu_us_per_movement` (the machine is
 * shared: these show what a rate hides).
 */
export async function ingestBench(options: IngestBenchOptions): Promise<Record<string, unknown>> {
  const ns = freshNamespace('bkpr_bench');
  await migrateDatabase(ns.databaseUrl);
  const nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'bench' });
  await provisionStreams(nats.jsm, nats.names);
  const gateway = await startServiceProcess('ingest-gateway', await freePort(), ns.env({ LOG_LEVEL: 'error', ...profilingEnv() }));
  const second = await startServiceProcess('ingest-gateway', await freePort(), ns.env({ LOG_LEVEL: 'error' }));
  const pids = { natsServer: natsServerPid(), gateway: gateway.process.pid! };
  try {
    // The same normalized movements, as the gateway publishes them (subject, Nats-Msg-Id, bytes).
    const rawMessages = (salt: string): RawBatch =>
      Array.from({ length: options.movements }, (_, i) => {
        const m = movementsOfNotification(notification(i, salt), null)[0]!;
        return { subject: nats.names.movementSubject(m.nodeId, m.kind), payload: encodeJson(movementToWire(m)), msgId: m.id };
      });
    // Published straight to JetStream with as many batches in flight as the gateway is sent.
    const publishRaw = (salt: string, publishBatch: (batch: RawBatch) => Promise<unknown>) => {
      const raw = rawMessages(salt);
      return measured(pids, options.movements, async () => {
        const started = performance.now();
        await pool(batchesOf(raw, options.batchSize), options.batchConcurrency, async (batch) => {
          await publishBatch(batch);
        });
        return perSecond(options.movements, performance.now() - started);
      });
    };
    // 1. The limit: the library's JetStream async publish (`js.publish`, every promise of a batch
    // awaited together), as session 1 first measured it.
    const withLibrary = (batch: RawBatch) => Promise.all(batch.map((m) => nats.js.publish(m.subject, m.payload, { msgID: m.msgId })));
    // The gateway's own publisher, for what the gateway adds to it.
    const withGatewayPublisher = (batch: RawBatch) => publishAll(nats, batch);
    const raw = await publishRaw('a', withLibrary);

    // 2. Gateway, NDJSON batches: one replica, then two (each batch to one of them in turn).
    const bodiesB = ndjsonBatches(options, 'b');
    const batched = await measured(pids, options.movements, () => postBatches([gateway], options, bodiesB));
    const batchedTwo = await postBatches([gateway, second], { ...options, batchConcurrency: options.batchConcurrency * 2 }, ndjsonBatches(options, 'd'));

    // 3. All again, warm: what a long-running gateway does.
    const rawWarm = await publishRaw('e', withLibrary);
    const publisherWarm = await publishRaw('1', withGatewayPublisher);
    const bodiesF = ndjsonBatches(options, 'f');
    const batchedWarm = await measured(pids, options.movements, () => postBatches([gateway], options, bodiesF));

    // 4. Gateway, one notification per POST.
    const singles = Array.from({ length: options.singlePosts }, (_, i) => JSON.stringify(notification(i, 'c')));
    const singleLatencies: number[] = [];
    const singlesRun = await measured(pids, options.singlePosts, async () => {
      const started = performance.now();
      await pool(singles, options.concurrency, async (body) => {
        const t = performance.now();
        const res = await fetch(`${gateway.url}/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (res.status !== 202) throw new Error(`gateway answered ${res.status}`);
        await res.arrayBuffer();
        singleLatencies.push(performance.now() - t);
      });
      return performance.now() - started;
    });
    const singleMs = singlesRun.result;
    // Last: a signal ends the Nest process once it has written the profile.
    await writeProfile(gateway);

    singleLatencies.sort((a, b) => a - b);
    return {
      suite: 'ingest',
      limit: "nats.js js.publish (JetStream async publish), each batch's publishes in flight together",
      movements: options.movements,
      batch_size: options.batchSize,
      batches_in_flight: options.batchConcurrency,
      raw_publish_movements_per_s: raw.result,
      gateway_batched_movements_per_s: batched.result.perS,
      gateway_batched_to_raw_ratio: round(batched.result.perS / raw.result, 3),
      gateway_batch_latency_ms_p50: batched.result.p50,
      gateway_batch_latency_ms_p99: batched.result.p99,
      gateway_2_replicas_batched_movements_per_s: batchedTwo.perS,
      gateway_2_replicas_batched_to_raw_ratio: round(batchedTwo.perS / raw.result, 3),
      steady_state: {
        raw_publish_movements_per_s: rawWarm.result,
        gateway_batched_movements_per_s: batchedWarm.result.perS,
        gateway_batched_to_raw_ratio: round(batchedWarm.result.perS / rawWarm.result, 3),
        gateway_publisher_alone_movements_per_s: publisherWarm.result,
        gateway_batched_to_its_publisher_alone_ratio: round(batchedWarm.result.perS / publisherWarm.result, 3),
      },
      cpu_us_per_movement: {
        raw: raw.cpu,
        gateway_batched: batched.cpu,
        raw_warm: rawWarm.cpu,
        gateway_publisher_alone_warm: publisherWarm.cpu,
        gateway_batched_warm: batchedWarm.cpu,
        gateway_single_posts: singlesRun.cpu,
      },
      single_posts: options.singlePosts,
      single_post_concurrency: options.concurrency,
      gateway_single_movements_per_s: perSecond(options.singlePosts, singleMs),
      gateway_single_latency_ms_p50: round(percentile(singleLatencies, 50)),
      gateway_single_latency_ms_p99: round(percentile(singleLatencies, 99)),
    };
  } finally {
    await Promise.all([gateway.stop(), second.stop()]);
    await nats.close();
    await ns.cleanup();
  }
}

function batchesOf<T>(items: readonly T[], size: number): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** NDJSON batches of fresh movements (unique by `salt`), built before anything is measured (as the raw side's bytes are). */
function ndjsonBatches(options: IngestBenchOptions, salt: string): string[] {
  const bodies: string[] = [];
  for (let i = 0; i < options.movements; i += options.batchSize) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(i + options.batchSize, options.movements); j++) lines.push(JSON.stringify(notification(j, salt)));
    bodies.push(lines.join('\n'));
  }
  return bodies;
}

/** The batches posted to the gateways in turn: rate and latency. */
async function postBatches(gateways: readonly RunningService[], options: IngestBenchOptions, bodies: readonly string[]): Promise<{ perS: number; p50: number; p99: number }> {
  const latencies: number[] = [];
  let turn = 0;
  const started = performance.now();
  await pool(bodies, options.batchConcurrency, async (body) => {
    const gateway = gateways[turn++ % gateways.length]!;
    const t = performance.now();
    const res = await fetch(`${gateway.url}/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    if (res.status !== 202) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
    latencies.push(performance.now() - t);
  });
  const perS = perSecond(options.movements, performance.now() - started);
  latencies.sort((a, b) => a - b);
  return { perS, p50: round(percentile(latencies, 50)), p99: round(percentile(latencies, 99)) };
}

interface Pids {
  readonly natsServer: number | null;
  readonly gateway: number;
}

/**
 * `work`'s result and the CPU time (user + system, µs per movement) it took nats-server, the
 * gateway (its main thread apart: the rest is its workers and V8's compiler and GC threads) and
 * this process. From /proc, in clock ticks (10 ms): meaningful over a few seconds of work.
 * `gateway_threads_busy_pct`: how busy the gateway's main thread and its 3 busiest other threads
 * (its workers, when they are checking bodies) were over the run, in % of its wall time.
 */
async function measured<T>(pids: Pids, movements: number, work: () => Promise<T>): Promise<{ result: T; cpu: Record<string, unknown> }> {
  const threadsBefore = threadTicks(pids.gateway);
  const before = { nats: cpuTicks(pids.natsServer), gateway: cpuTicks(pids.gateway), gatewayMain: cpuTicks(pids.gateway, pids.gateway), bench: process.cpuUsage() };
  const started = performance.now();
  const result = await work();
  const wallMs = performance.now() - started;
  const bench = process.cpuUsage(before.bench);
  const busyPct = (ticks: number) => round((ticks * 10 * 100) / wallMs, 0);
  const threadsAfter = threadTicks(pids.gateway);
  const others = [...threadsAfter]
    .filter(([tid]) => tid !== pids.gateway)
    .map(([tid, ticks]) => ticks - (threadsBefore.get(tid) ?? 0))
    .sort((a, b) => b - a);
  const perMovement = (ticks: number) => round((ticks * USEC_PER_TICK) / movements);
  const gateway = perMovement(cpuTicks(pids.gateway) - before.gateway);
  const gatewayMain = perMovement(cpuTicks(pids.gateway, pids.gateway) - before.gatewayMain);
  return {
    result,
    cpu: {
      nats_server: perMovement(cpuTicks(pids.natsServer) - before.nats),
      gateway_main_thread: gatewayMain,
      gateway_other_threads: round(gateway - gatewayMain),
      bench_client: round((bench.user + bench.system) / movements),
      gateway_threads_busy_pct: {
        main: busyPct((threadsAfter.get(pids.gateway) ?? 0) - (threadsBefore.get(pids.gateway) ?? 0)),
        busiest_others: others.slice(0, 3).map(busyPct),
      },
    },
  };
}
