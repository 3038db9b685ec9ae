import { performance } from 'node:perf_hooks';
import { movementToWire } from '@bkpr/contracts';
import { NatsClient, provisionStreams, publishAll } from '@bkpr/messaging';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, startServiceProcess, type RunningService } from '@bkpr/testing';
import { movementsOfNotification } from './movements.js';
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

export interface IngestBenchOptions {
  readonly movements: number;
  readonly batchSize: number;
  readonly singlePosts: number;
  readonly concurrency: number;
  /** NDJSON batches in flight at once (several nodes posting). */
  readonly batchConcurrency: number;
}

/**
 * Ingest throughput on this machine, in one run: the raw JetStream pipelined publish rate of
 * the same movement payloads (the limit), the gateway with NDJSON batches, and single POSTs.
 */
export async function ingestBench(options: IngestBenchOptions): Promise<Record<string, unknown>> {
  const ns = freshNamespace('bkpr_bench');
  await migrateDatabase(ns.databaseUrl);
  const nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'bench' });
  await provisionStreams(nats.jsm, nats.names);
  const gateway = await startServiceProcess('ingest-gateway', await freePort(), ns.env({ LOG_LEVEL: 'error' }));
  const second = await startServiceProcess('ingest-gateway', await freePort(), ns.env({ LOG_LEVEL: 'error' }));
  try {
    // 1. The limit: the same normalized payloads published straight to JetStream, pipelined per batch.
    const raw = Array.from({ length: options.movements }, (_, i) => {
      const m = movementsOfNotification(notification(i, 'a'), null)[0]!;
      return { subject: `${ns.namespace}.movement.rawbench.channel`, payload: movementToWire(m), msgId: `raw-${m.id}` };
    });
    let started = performance.now();
    for (let i = 0; i < raw.length; i += options.batchSize) await publishAll(nats, raw.slice(i, i + options.batchSize));
    const rawMs = performance.now() - started;

    // 2. Gateway, NDJSON batches: one replica, then two (each batch to one of them in turn).
    const batched = await postBatches([gateway], options, 'b');
    const batchedTwo = await postBatches([gateway, second], { ...options, batchConcurrency: options.batchConcurrency * 2 }, 'd');

    // 3. Gateway, one notification per POST.
    const singles = Array.from({ length: options.singlePosts }, (_, i) => JSON.stringify(notification(i, 'c')));
    const singleLatencies: number[] = [];
    started = performance.now();
    await pool(singles, options.concurrency, async (body) => {
      const t = performance.now();
      const res = await fetch(`${gateway.url}/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      if (res.status !== 202) throw new Error(`gateway answered ${res.status}`);
      await res.arrayBuffer();
      singleLatencies.push(performance.now() - t);
    });
    const singleMs = performance.now() - started;

    singleLatencies.sort((a, b) => a - b);
    const rawRate = perSecond(options.movements, rawMs);
    return {
      suite: 'ingest',
      movements: options.movements,
      batch_size: options.batchSize,
      batches_in_flight: options.batchConcurrency,
      raw_publish_movements_per_s: rawRate,
      gateway_batched_movements_per_s: batched.perS,
      gateway_batched_to_raw_ratio: round(batched.perS / rawRate, 3),
      gateway_batch_latency_ms_p50: batched.p50,
      gateway_batch_latency_ms_p99: batched.p99,
      gateway_2_replicas_batched_movements_per_s: batchedTwo.perS,
      gateway_2_replicas_batched_to_raw_ratio: round(batchedTwo.perS / rawRate, 3),
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

/** NDJSON batches of fresh movements (unique by `salt`) posted to the gateways in turn: rate and latency. */
async function postBatches(gateways: readonly RunningService[], options: IngestBenchOptions, salt: string): Promise<{ perS: number; p50: number; p99: number }> {
  const bodies: string[] = [];
  for (let i = 0; i < options.movements; i += options.batchSize) {
    const lines: string[] = [];
    for (let j = i; j < Math.min(i + options.batchSize, options.movements); j++) lines.push(JSON.stringify(notification(j, salt)));
    bodies.push(lines.join('\n'));
  }
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
