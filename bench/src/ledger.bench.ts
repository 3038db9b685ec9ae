import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { AckPolicy } from '@nats-io/jetstream';
import { movementToWire, type Movement } from '@bkpr/contracts';
import { NatsClient, provisionStreams, publishAll } from '@bkpr/messaging';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, startServiceProcess, type RunningService } from '@bkpr/testing';
import { generateAll } from '@bkpr/workload';
import { movementsOfNotification } from './movements.js';
import { cpuTicks, natsServerPid, USEC_PER_TICK } from './proc-cpu.js';
import { allocProfileDir, profilingEnv, writeProfile } from './profiling.js';
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
 * Publishes the movements to a fresh namespace's stream, then starts `replicas` ledgers
 * (each with `concurrency` transactions in flight) and times them from their first delivery
 * until they acked everything (facts committed), and the reconcilers (as many, started before)
 * until they acked every announcement (figures derived); then pulls and acks the same
 * messages doing nothing with them (the limit).
 */
async function ledgerRun(movements: readonly Movement[], replicas: number, concurrency: number, batchSize: number): Promise<LedgerRun> {
  const ns = freshNamespace('bkpr_bench');
  await migrateDatabase(ns.databaseUrl);
  const nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'bench' });
  await provisionStreams(nats.jsm, nats.names);
  const names = nats.names;
  const services: RunningService[] = [];
  try {
    for (let i = 0; i < replicas; i++) services.push(await startServiceProcess('reconciler', await freePort(), ns.env({ LOG_LEVEL: 'error', ...profilingEnv() })));
    for (let i = 0; i < movements.length; i += 1_000) {
      await publishAll(nats, movements.slice(i, i + 1_000).map((m) => ({ subject: names.movementSubject(m.nodeId, m.kind), payload: movementToWire(m), msgId: m.id })));
    }
    const last = (await nats.jsm.streams.info(names.streams.movements)).state.last_seq;
    const ledgerEnv = ns.env({ LOG_LEVEL: 'error', ...profilingEnv(), BKPR_LEDGER_BATCH: String(batchSize), BKPR_LEDGER_CONCURRENCY: String(concurrency) });
    const ledgers = await Promise.all(Array.from({ length: replicas }, async () => startServiceProcess('ledger', await freePort(), ledgerEnv)));
    services.push(...ledgers);
    const ledgerInfo = () => nats.jsm.consumers.info(names.streams.movements, names.consumers.ledger).catch(() => null);
    // The clock starts at the first delivery, so the services' start-up is not counted.
    await pollUntil(ledgerInfo, (info) => (info?.delivered.stream_seq ?? 0) > 0, { timeoutMs: 60_000, intervalMs: 10, what: 'the ledger to start consuming' });
    let started = performance.now();
    const cpu = await cpuMeter(ns.databaseUrl, services);
    sampleAllocations(services);
    await pollUntil(ledgerInfo, (info) => (info?.ack_floor.stream_seq ?? 0) >= last, { timeoutMs: 600_000, intervalMs: 50, what: 'the ledger to store everything' });
    const factsMs = performance.now() - started;
    for (const ledger of ledgers) await writeProfile(ledger);
    await pollUntil(
      async () => {
        const [stream, consumer] = await Promise.all([nats.jsm.streams.info(names.streams.recorded), nats.jsm.consumers.info(names.streams.recorded, names.consumers.reconciler)]);
        return consumer.ack_floor.stream_seq >= stream.state.last_seq;
      },
      (done) => done,
      { timeoutMs: 600_000, intervalMs: 50, what: 'the reconcilers to derive everything' },
    );
    const derivedMs = performance.now() - started;
    const cpuMs = await cpu.stop();
    sampleAllocations(services);
    for (const service of services) if (service.name === 'reconciler') await writeProfile(service);

    // The limit: pulling (a continuous pull, as the ledger does) and acking the same messages, doing nothing with them.
    await nats.jsm.consumers.add(names.streams.movements, { durable_name: 'rawbench', ack_policy: AckPolicy.Explicit, max_ack_pending: batchSize * 4 });
    const raw = await nats.js.consumers.get(names.streams.movements, 'rawbench');
    started = performance.now();
    let seen = 0;
    const messages = await raw.consume({ max_messages: batchSize * 2 });
    for await (const m of messages) {
      m.ack();
      seen += 1;
      if (seen >= last) break;
    }
    await messages.close();
    const cpuUsPerMovement = Object.fromEntries(Object.entries(cpuMs).map(([who, ms]) => [who, round((ms * 1_000) / movements.length, 1)]));
    return { factsPerS: perSecond(movements.length, factsMs), derivedPerS: perSecond(movements.length, derivedMs), rawConsumePerS: perSecond(seen, performance.now() - started), cpuUsPerMovement };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    await nats.close();
    await ns.cleanup();
  }
}

/** With BENCH_ALLOC_PROF_DIR: the first call starts sampling the services' allocations, the second writes them (not SIGUSR2: Nest shuts down on it). */
function sampleAllocations(services: readonly RunningService[]): void {
  if (allocProfileDir) for (const service of services) if (service.process.pid !== undefined) process.kill(service.process.pid, 'SIGWINCH');
}

interface LedgerRun {
  /** Movements/s until the ledgers acked everything (every fact committed). */
  readonly factsPerS: number;
  /** Movements/s until the reconcilers acked every announcement (every figure derived). */
  readonly derivedPerS: number;
  readonly rawConsumePerS: number;
  /** CPU time per movement, first delivery to figures derived: ledgers, reconcilers, the run's PostgreSQL backends, nats-server (shared). */
  readonly cpuUsPerMovement: Record<string, number>;
}

/**
 * CPU time spent from now until `stop()` by the services, by the PostgreSQL backends of the
 * run's database and by the nats-server on :4222, from /proc (Linux; empty elsewhere). Less
 * noisy than rates on a shared machine: what the run cost, whatever else ran beside it.
 */
async function cpuMeter(databaseUrl: string, services: readonly RunningService[]): Promise<{ stop(): Promise<Record<string, number>> }> {
  const cpuOf = (pid: number | null): number => (cpuTicks(pid) * USEC_PER_TICK) / 1_000;
  const natsPid = natsServerPid('4222');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const backends = async (): Promise<Map<number, number>> => {
    const rows: { pid: number }[] = (await client.query('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()')).rows;
    return new Map(rows.map((r) => [r.pid, cpuOf(r.pid)]));
  };
  const byName = (name: string) => services.filter((s) => s.name === name && s.process.pid !== undefined).map((s) => s.process.pid!);
  const sample = async () => ({
    ledger: byName('ledger').map(cpuOf),
    reconciler: byName('reconciler').map(cpuOf),
    postgres: await backends(),
    nats: cpuOf(natsPid),
  });
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  const before = await sample();
  return {
    async stop() {
      const after = await sample();
      await client.end();
      let postgres = 0;
      for (const [pid, ms] of after.postgres) postgres += ms - (before.postgres.get(pid) ?? 0);
      const figures = { ledger: sum(after.ledger) - sum(before.ledger), reconciler: sum(after.reconciler) - sum(before.reconciler), postgres, nats_server: after.nats - before.nats };
      return { ...figures, total: figures.ledger + figures.reconciler + figures.postgres + figures.nats_server };
    },
  };
}

/**
 * Movements/s from JetStream to committed facts (a stream already holding them drained by
 * the ledgers) and to derived figures (the reconcilers done too): 1 replica with 1 and with 2 transactions in flight, 2 replicas,
 * against the raw pull-consume rate of the same messages measured in the same run.
 */
export async function ledgerBench(options: LedgerBenchOptions): Promise<Record<string, unknown>> {
  const movements = movementsOf(options.events);
  if (process.env['BENCH_LEDGER_RUNS']) return quickRuns(movements, options.batchSize, Number(process.env['BENCH_LEDGER_RUNS']));
  const serial = await ledgerRun(movements, 1, 1, options.batchSize);
  const one = await ledgerRun(movements, 1, 2, options.batchSize);
  const two = await ledgerRun(movements, 2, 2, options.batchSize);
  const rawConsumePerS = Math.max(serial.rawConsumePerS, one.rawConsumePerS, two.rawConsumePerS);
  return {
    suite: 'ledger',
    movements: movements.length,
    batch_size: options.batchSize,
    raw_consume_movements_per_s: rawConsumePerS,
    ledger_1_replica_serial_movements_per_s: serial.factsPerS,
    ledger_1_replica_movements_per_s: one.factsPerS,
    ledger_2_replicas_movements_per_s: two.factsPerS,
    derived_1_replica_movements_per_s: one.derivedPerS,
    derived_2_replicas_movements_per_s: two.derivedPerS,
    ledger_1_to_raw_consume_ratio: round(one.factsPerS / rawConsumePerS, 3),
    concurrent_to_serial_ratio: round(one.factsPerS / serial.factsPerS, 3),
    ledger_2_to_1_ratio: round(two.factsPerS / one.factsPerS, 3),
    /** First delivery to figures derived, 1 replica (2 in flight): CPU time per movement of each part. */
    cpu_us_per_movement_1_replica: one.cpuUsPerMovement,
  };
}

/**
 * BENCH_LEDGER_RUNS=n: only the default configuration (1 replica, 2 transactions in flight),
 * n times back to back, for comparing changes on a noisy machine (toggle them by environment
 * between runs of one session).
 */
async function quickRuns(movements: readonly Movement[], batchSize: number, times: number): Promise<Record<string, unknown>> {
  const runs: Record<string, unknown>[] = [];
  for (let i = 0; i < times; i++) {
    const run = await ledgerRun(movements, 1, 2, batchSize);
    runs.push({ cpu_us_per_movement: run.cpuUsPerMovement, ledger_1_replica_movements_per_s: run.factsPerS, derived_1_replica_movements_per_s: run.derivedPerS, raw_consume_movements_per_s: run.rawConsumePerS, ledger_1_to_raw_consume_ratio: round(run.factsPerS / run.rawConsumePerS, 3) });
  }
  return { suite: 'ledger', movements: movements.length, batch_size: batchSize, runs };
}
