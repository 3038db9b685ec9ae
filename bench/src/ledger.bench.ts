import { performance } from 'node:perf_hooks';
import { AckPolicy } from '@nats-io/jetstream';
import { movementToWire, type Movement } from '@bkpr/contracts';
import { NatsClient, provisionStreams, publishAll } from '@bkpr/messaging';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, startServiceProcess, type RunningService } from '@bkpr/testing';
import { generateAll } from '@bkpr/workload';
import { movementsOfNotification } from './movements.js';
import { perSecond, round } from './stats.js';

export interface LedgerBenchOptions {
  readonly events: number;
  readonly batchSize: number;
}

function movementsOf(events: number): Movement[] {
  const movements: Movement[] = [];
  for (const item of generateAll({ seed: 5, nodes: 2, channelsPerNode: 10, targetEvents: events }).items) {
    movements.push(...movementsOfNotification(item.body, item.nodeId));
  }
  return movements;
}

/**
 * Publishes the movements to a fresh namespace's stream while `replicas` ledgers (each with
 * `concurrency` transactions in flight) store them, until they acked everything; then pulls
 * and acks the same messages doing nothing with them (the limit).
 */
async function ledgerRun(movements: readonly Movement[], replicas: number, concurrency: number, batchSize: number): Promise<{ perS: number; rawConsumePerS: number }> {
  const ns = freshNamespace('bkpr_bench');
  await migrateDatabase(ns.databaseUrl);
  const nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'bench' });
  await provisionStreams(nats.jsm, nats.names);
  const ledgers: RunningService[] = [];
  try {
    // Ledgers up and idle first, so their start-up is not counted.
    for (let i = 0; i < replicas; i++) ledgers.push(await startServiceProcess('ledger', await freePort(), ns.env({ LOG_LEVEL: 'error', BKPR_LEDGER_BATCH: String(batchSize), BKPR_LEDGER_CONCURRENCY: String(concurrency) })));
    let started = performance.now();
    for (let i = 0; i < movements.length; i += 1_000) {
      await publishAll(nats, movements.slice(i, i + 1_000).map((m) => ({ subject: nats.names.movementSubject(m.nodeId, m.kind), payload: movementToWire(m), msgId: m.id })));
    }
    const last = (await nats.jsm.streams.info(nats.names.streams.movements)).state.last_seq;
    await pollUntil(() => nats.jsm.consumers.info(nats.names.streams.movements, nats.names.consumers.ledger), (info) => info.ack_floor.stream_seq >= last, { timeoutMs: 600_000, intervalMs: 100, what: 'the ledger to store everything' });
    const perS = perSecond(movements.length, performance.now() - started);

    // The limit: pulling (a continuous pull, as the ledger does) and acking the same messages, doing nothing with them.
    await nats.jsm.consumers.add(nats.names.streams.movements, { durable_name: 'rawbench', ack_policy: AckPolicy.Explicit, max_ack_pending: batchSize * 4 });
    const raw = await nats.js.consumers.get(nats.names.streams.movements, 'rawbench');
    started = performance.now();
    let seen = 0;
    const messages = await raw.consume({ max_messages: batchSize * 2 });
    for await (const m of messages) {
      m.ack();
      seen += 1;
      if (seen >= last) break;
    }
    await messages.close();
    const rawConsumePerS = perSecond(seen, performance.now() - started);
    return { perS, rawConsumePerS };
  } finally {
    await Promise.all(ledgers.map((l) => l.stop()));
    await nats.close();
    await ns.cleanup();
  }
}

/**
 * Movements/s from JetStream to committed facts (publishing to a running ledger until it has
 * acknowledged everything): 1 replica with 1 and with 2 transactions in flight, 2 replicas,
 * against the raw pull-consume rate of the same messages measured in the same run.
 */
export async function ledgerBench(options: LedgerBenchOptions): Promise<Record<string, unknown>> {
  const movements = movementsOf(options.events);
  const serial = await ledgerRun(movements, 1, 1, options.batchSize);
  const one = await ledgerRun(movements, 1, 2, options.batchSize);
  const two = await ledgerRun(movements, 2, 2, options.batchSize);
  const rawConsumePerS = Math.max(serial.rawConsumePerS, one.rawConsumePerS, two.rawConsumePerS);
  return {
    suite: 'ledger',
    movements: movements.length,
    batch_size: options.batchSize,
    raw_consume_movements_per_s: rawConsumePerS,
    ledger_1_replica_serial_movements_per_s: serial.perS,
    ledger_1_replica_movements_per_s: one.perS,
    ledger_2_replicas_movements_per_s: two.perS,
    ledger_1_to_raw_consume_ratio: round(one.perS / rawConsumePerS, 3),
    concurrent_to_serial_ratio: round(one.perS / serial.perS, 3),
    ledger_2_to_1_ratio: round(two.perS / one.perS, 3),
  };
}
