import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { movementToWire, type Movement } from '@bkpr/contracts';
import { NatsClient, provisionStreams, publishAll } from '@bkpr/messaging';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, SERVICES, startServiceProcess, type RunningService } from '@bkpr/testing';
import { Workload } from '@bkpr/workload';
import { movementsOfNotification } from './movements.js';
import { perSecond, round, timed } from './stats.js';

export interface E2eBenchOptions {
  readonly events: number;
  readonly nodes: number;
  readonly batchSize: number;
  /** Replicas of the ledger and of the reconciler. */
  readonly replicas: number;
}

interface Batch {
  readonly nodeId: string;
  readonly body: string;
  readonly count: number;
}

/** The generated organization as NDJSON batches, one node per batch (utxo events name no node). */
function* batchesOf(options: E2eBenchOptions): Generator<Batch> {
  const pending = new Map<string, string[]>();
  for (const item of new Workload({ seed: 42, nodes: options.nodes, channelsPerNode: 20, targetEvents: options.events, duplicationRate: 0.01 })) {
    const lines = pending.get(item.nodeId) ?? [];
    lines.push(JSON.stringify(item.body));
    pending.set(item.nodeId, lines);
    if (lines.length >= options.batchSize) {
      yield { nodeId: item.nodeId, body: lines.join('\n'), count: lines.length };
      pending.set(item.nodeId, []);
    }
  }
  for (const [nodeId, lines] of pending) if (lines.length) yield { nodeId, body: lines.join('\n'), count: lines.length };
}

async function rpc(reporting: RunningService, method: string, params: object): Promise<any> {
  const res = await fetch(`${reporting.url}/v1/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  if (res.status !== 200) throw new Error(`${method} answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/**
 * End to end on this machine: a generated organization history through the gateway (NDJSON
 * batches) → ledger → reconciler, until it is visible in listbalances; against the raw
 * JetStream publish rate of the same movements measured in the same run. Then the queries
 * at that size.
 */
export async function e2eBench(options: E2eBenchOptions): Promise<Record<string, unknown>> {
  const batches = [...batchesOf(options)];
  const notifications = batches.reduce((n, b) => n + b.count, 0);

  const ns = freshNamespace('bkpr_bench');
  await migrateDatabase(ns.databaseUrl);
  const nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'bench' });
  await provisionStreams(nats.jsm, nats.names);
  const services = new Map<string, RunningService>();
  const extra: RunningService[] = [];
  for (const s of await Promise.all(SERVICES.map(async (name) => startServiceProcess(name, await freePort(), ns.env({ LOG_LEVEL: 'error' }))))) services.set(s.name, s);
  for (let i = 1; i < options.replicas; i++) {
    for (const name of ['ledger', 'reconciler'] as const) extra.push(await startServiceProcess(name, await freePort(), ns.env({ LOG_LEVEL: 'error' })));
  }
  const gateway = services.get('ingest-gateway')!;
  const reporting = services.get('reporting')!;
  try {
    // The limit: the same movements straight to JetStream, into a stream of their own that
    // nobody consumes (inside the movements stream, the running ledger would store them first).
    const rawStream = `${nats.names.streams.movements}_RAWBENCH`;
    await nats.jsm.streams.add({ name: rawStream, subjects: [`${ns.namespace}.rawbench.>`] });
    const movements: Movement[] = [];
    for (const b of batches) {
      for (const line of b.body.split('\n')) movements.push(...movementsOfNotification(JSON.parse(line), b.nodeId));
    }
    let started = performance.now();
    for (let i = 0; i < movements.length; i += options.batchSize) {
      await publishAll(nats, movements.slice(i, i + options.batchSize).map((m) => ({ subject: `${ns.namespace}.rawbench.channel`, payload: movementToWire(m), msgId: `raw-${m.id}` })));
    }
    const rawPerS = perSecond(movements.length, performance.now() - started);
    await nats.jsm.streams.delete(rawStream);

    // End to end.
    started = performance.now();
    let accepted = 0;
    // Each node posts its batches one after the other, as a node's plugin does (its arrival order
    // is then the same in every run, and so are the figures CLN makes order-dependent); the
    // nodes post at the same time.
    const byNode = new Map<string, Batch[]>();
    for (const b of batches) {
      const ofNode = byNode.get(b.nodeId);
      if (ofNode) ofNode.push(b);
      else byNode.set(b.nodeId, [b]);
    }
    await Promise.all(
      [...byNode.values()].map(async (ofNode) => {
        for (const b of ofNode) {
          const res = await fetch(`${gateway.url}/v1/notifications?node_id=${b.nodeId}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: b.body });
          if (res.status !== 202) throw new Error(`gateway answered ${res.status}: ${await res.text()}`);
          const body = (await res.json()) as { accepted: number };
          accepted += body.accepted;
        }
      }),
    );
    const ingestedMs = performance.now() - started;
    await pollUntil(() => rpc(reporting, 'bkpr-listbalances', {}).catch(() => null), (r) => r !== null, { timeoutMs: 600_000, intervalMs: 200, what: 'listbalances to reflect everything' });
    const visibleMs = performance.now() - started;
    const recordedStream = nats.names.streams.recorded;
    await pollUntil(
      async () => {
        const [stream, consumer] = await Promise.all([nats.jsm.streams.info(recordedStream), nats.jsm.consumers.info(recordedStream, nats.names.consumers.reconciler)]);
        return consumer.ack_floor.stream_seq >= stream.state.last_seq;
      },
      (done) => done,
      { timeoutMs: 900_000, intervalMs: 250, what: 'the reconciler to catch up' },
    );
    const reconciledMs = performance.now() - started;
    const e2ePerS = perSecond(accepted, visibleMs);

    // Queries at this size.
    const nodes: string[] = [...new Set(batches.map((b) => b.nodeId))];
    const balances = await rpc(reporting, 'bkpr-listbalances', { node_id: nodes[0] });
    const channel = (balances.accounts as { account: string; peer_id?: string }[]).find((a) => a.peer_id)?.account;
    const queries = {
      listbalances_ms: await timed(20, () => rpc(reporting, 'bkpr-listbalances', {})),
      listincome_consolidated_ms: await timed(3, () => rpc(reporting, 'bkpr-listincome', {})),
      listaccountevents_one_channel_ms: channel ? await timed(5, () => rpc(reporting, 'bkpr-listaccountevents', { account: channel, node_id: nodes[0] })) : null,
      dumpincomecsv_koinly_ms: await timed(3, async () => (await fetch(`${reporting.url}/v1/income.csv?format=koinly`)).text()),
    };
    // What the answers were, to compare runs with different replica counts.
    const income = await rpc(reporting, 'bkpr-listincome', { consolidate_fees: false });
    const { as_of: _asOf, ...balancesAnswer } = await rpc(reporting, 'bkpr-listbalances', {});
    const answersDigest = createHash('sha256').update(JSON.stringify([balancesAnswer, income.income_events])).digest('hex');
    const metrics = await (await fetch(`${reporting.url}/metrics`)).text();
    const rss = /process_resident_memory_bytes(?:\{[^}]*\})? (\d+(?:\.\d+)?(?:e\+\d+)?)/.exec(metrics);
    return {
      suite: 'e2e',
      replicas: options.replicas,
      answers_sha256: answersDigest,
      notifications,
      movements_accepted: accepted,
      nodes: options.nodes,
      raw_publish_movements_per_s: rawPerS,
      e2e_movements_per_s: e2ePerS,
      e2e_to_publish_ratio: round(e2ePerS / rawPerS, 3),
      gateway_accept_all_ms: round(ingestedMs, 0),
      visible_in_listbalances_ms: round(visibleMs, 0),
      reconciled_ms: round(reconciledMs, 0),
      queries,
      reporting_rss_mib: rss ? round(Number(rss[1]) / 2 ** 20, 0) : null,
    };
  } finally {
    await Promise.all([...services.values(), ...extra].map((s) => s.stop()));
    await nats.close();
    await ns.cleanup();
  }
}
