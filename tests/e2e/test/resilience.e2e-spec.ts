import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, startServiceProcess, type RunningService, type ServiceName, type TestNamespace } from '@bkpr/testing';
import { generateAll, type WorkloadItem } from '@bkpr/workload';

const { items, expected } = generateAll({ seed: 11, nodes: 2, channelsPerNode: 3, targetEvents: 1_200, duplicationRate: 0.03 });

/** Consecutive items of one node, as NDJSON bodies of at most 50 lines. */
function batches(all: readonly WorkloadItem[]): { nodeId: string; body: string }[] {
  const out: { nodeId: string; body: string }[] = [];
  let current: { nodeId: string; lines: string[] } | null = null;
  for (const item of all) {
    if (!current || current.nodeId !== item.nodeId || current.lines.length === 50) {
      if (current) out.push({ nodeId: current.nodeId, body: current.lines.join('\n') });
      current = { nodeId: item.nodeId, lines: [] };
    }
    current.lines.push(JSON.stringify(item.body));
  }
  if (current) out.push({ nodeId: current.nodeId, body: current.lines.join('\n') });
  return out;
}

interface Deployment {
  readonly ns: TestNamespace;
  readonly services: RunningService[];
  of(name: ServiceName): RunningService[];
}

const deployments: Deployment[] = [];

async function deploy(replicas: Partial<Record<ServiceName, number>>): Promise<Deployment> {
  const ns = freshNamespace('bkpr_tres');
  await migrateDatabase(ns.databaseUrl);
  const names: ServiceName[] = ['ingest-gateway', 'ledger', 'reconciler', 'reporting'];
  const services: RunningService[] = [];
  try {
    for (const name of names) {
      for (let i = 0; i < (replicas[name] ?? 1); i++) services.push(await startServiceProcess(name, await freePort(), ns.env({ BKPR_LEDGER_BATCH: '40', BKPR_RECONCILER_BATCH: '40', BKPR_ACK_WAIT_MS: '2000' })));
    }
  } catch (error) {
    // One did not start: the ones that did must not outlive the test.
    await Promise.all(services.map((s) => s.stop()));
    await ns.cleanup();
    throw error;
  }
  const deployment = { ns, services, of: (name: ServiceName) => services.filter((s) => s.name === name) };
  deployments.push(deployment);
  return deployment;
}

async function ingest(d: Deployment, onBatch?: (i: number) => Promise<void>): Promise<void> {
  const gateways = d.of('ingest-gateway');
  const all = batches(items);
  for (let i = 0; i < all.length; i++) {
    const b = all[i]!;
    // Sequential, alternating gateways: the stream order is the same whatever the replicas.
    const res = await fetch(`${gateways[i % gateways.length]!.url}/v1/notifications?node_id=${b.nodeId}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: b.body });
    expect(res.status).toBe(202);
    await onBatch?.(i);
  }
}

async function answers(d: Deployment): Promise<string> {
  const reporting = d.of('reporting')[0]!;
  const out: unknown[] = [];
  for (const [method, params] of [
    ['bkpr-listbalances', {}],
    ['bkpr-listincome', { consolidate_fees: true }],
    ['bkpr-listincome', { consolidate_fees: false }],
    ['bkpr-listaccountevents', {}],
    ['bkpr-listproblems', {}],
  ] as const) {
    // 503 while the ledger is catching up (a killed replica's batch comes back after the ack wait).
    const res = await pollUntil(
      () => fetch(`${reporting.url}/v1/rpc/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) }),
      (r) => r.status !== 503,
      { timeoutMs: 60_000, intervalMs: 500, what: `${method} to answer` },
    );
    expect(res.status, method).toBe(200);
    const { as_of: _asOf, ...rest } = (await res.json()) as Record<string, unknown>;
    out.push(rest);
  }
  return JSON.stringify(out);
}

function balancesOf(listed: string): Map<string, bigint> {
  const [balances] = JSON.parse(listed) as [{ accounts: { node_id: string; account: string; balances: { balance_msat: number; coin_type: string }[] }[] }];
  const out = new Map<string, bigint>();
  for (const a of balances.accounts) for (const b of a.balances) out.set(`${a.node_id}|${a.account}|${b.coin_type}`, BigInt(b.balance_msat));
  return out;
}

afterAll(async () => {
  for (const d of deployments) {
    await Promise.all(d.services.map((s) => s.stop()));
    await d.ns.cleanup();
  }
}, 60_000);

describe('restarts and replicas', () => {
  let reference = '';

  it('one replica each: the balances the simulator expects', async () => {
    const single = await deploy({});
    await ingest(single);
    reference = await answers(single);
    const ours = balancesOf(reference);
    for (const b of expected.balances) expect(ours.get(`${b.nodeId}|${b.account}|${b.coinType}`) ?? 0n, `${b.account}`).toBe(b.balanceMsat);
  }, 120_000);

  it('ledger killed (SIGKILL) mid-stream and restarted: the same answers, nothing lost or doubled', async () => {
    const d = await deploy({});
    await ingest(d, async (i) => {
      if (i !== 5) return;
      const [ledger] = d.of('ledger');
      await ledger!.stop('SIGKILL');
      d.services.splice(d.services.indexOf(ledger!), 1, await startServiceProcess('ledger', await freePort(), d.ns.env({ BKPR_LEDGER_BATCH: '40', BKPR_ACK_WAIT_MS: '2000' })));
    });
    expect(await answers(d)).toBe(reference);
  }, 120_000);

  it('two gateways, two ledgers, two reconcilers: byte-identical answers to one replica', async () => {
    const d = await deploy({ 'ingest-gateway': 2, ledger: 2, reconciler: 2 });
    await ingest(d);
    // Both reconcilers drain the recorded stream; then their derived tables must agree too.
    await pollUntil(
      async () => {
        const res = await fetch(`${d.of('reporting')[0]!.url}/v1/rpc/bkpr-listproblems`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
        return res.status;
      },
      (status) => status === 200,
      { what: 'reporting to answer' },
    );
    expect(await answers(d)).toBe(reference);
  }, 180_000);
});
