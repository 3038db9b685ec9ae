#!/usr/bin/env node
/**
 * `npm start`: checks that PostgreSQL and NATS answer, migrates the database, starts the four
 * services in this terminal with prefixed logs, loads the demo history (unless BKPR_DEMO=0)
 * and prints where everything is. Ctrl-C stops them all.
 */
import pg from 'pg';
import { connect } from '@nats-io/transport-node';
import concurrently from 'concurrently';
import { migrateDatabase, defaultDatabaseUrl, redactUrl } from '@bkpr/persistence';
import { DEMO_NODE_ID, demoHistory } from '@bkpr/workload';

const namespace = process.env.BKPR_NAMESPACE || 'bkpr';
const databaseUrl = process.env.DATABASE_URL || defaultDatabaseUrl(namespace);
const natsUrl = process.env.NATS_URL || 'nats://127.0.0.1:4222';
const ports = {
  'ingest-gateway': Number(process.env.GATEWAY_PORT || 3000),
  reporting: Number(process.env.REPORTING_PORT || 3001),
  ledger: Number(process.env.LEDGER_PORT || 3002),
  reconciler: Number(process.env.RECONCILER_PORT || 3003),
};

function fail(lines) {
  console.error(lines.join('\n'));
  process.exit(1);
}

async function checkPostgres() {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString(), connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.end();
  } catch (error) {
    fail([
      `PostgreSQL is unreachable at ${redactUrl(databaseUrl)} (${error.message}).`,
      'Start it, then run `npm start` again:',
      '  on this machine:   pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
      '  or with Docker:    docker compose up -d postgres nats',
      'or point DATABASE_URL at a running server.',
    ]);
  }
}

async function checkNats() {
  try {
    const nc = await connect({ servers: natsUrl, timeout: 3_000, maxReconnectAttempts: 0 });
    await nc.close();
  } catch (error) {
    fail([
      `NATS is unreachable at ${natsUrl} (${error.message}).`,
      'Start it (with JetStream), then run `npm start` again:',
      '  on this machine:   start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log',
      '  or with Docker:    docker compose up -d postgres nats',
      'or point NATS_URL at a running server.',
    ]);
  }
}

async function waitReady(service, port, deadlineMs) {
  const until = Date.now() + deadlineMs;
  while (Date.now() < until) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${service} was not ready on :${port} after ${deadlineMs / 1000}s`);
}

await checkPostgres();
await checkNats();
const applied = await migrateDatabase(databaseUrl);
console.log(applied.length ? `migrated: ${applied.join(', ')}` : `database ${redactUrl(databaseUrl)} is up to date`);

/** What a service's image sets beyond PORT, and the node flags it runs with (see the Dockerfile): reporting's. */
const SERVICE_ENV = { reporting: { MALLOC_MMAP_THRESHOLD_: '131072' } };
const NODE_FLAGS = { reporting: '--max-semi-space-size=4 ' };

const { result } = concurrently(
  Object.entries(ports).map(([service, port]) => ({
    name: service,
    command: `node ${NODE_FLAGS[service] ?? ''}apps/${service}/dist/main.js`,
    env: { BKPR_NAMESPACE: namespace, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, PORT: String(port), ...(SERVICE_ENV[service] ?? {}) },
  })),
  { prefix: 'name', killOthersOn: ['failure'], handleInput: false },
);
result.catch(() => process.exit(1));

try {
  await Promise.all(Object.entries(ports).map(([service, port]) => waitReady(service, port, 60_000)));
} catch (error) {
  console.error(error.message);
  process.exit(1);
}

if (process.env.BKPR_DEMO !== '0') {
  const res = await fetch(`http://127.0.0.1:${ports['ingest-gateway']}/v1/notifications?node_id=${DEMO_NODE_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(demoHistory()),
  });
  console.log(`demo history: ${res.status} ${await res.text()}`);
}

console.log(`
lightning-bookkeeper is up (namespace "${namespace}"):
  ingest   POST http://127.0.0.1:${ports['ingest-gateway']}/v1/notifications
  queries  POST http://127.0.0.1:${ports.reporting}/v1/rpc/bkpr-listbalances
  health   http://127.0.0.1:<port>/health/ready  (ports ${Object.values(ports).join(', ')})
  metrics  http://127.0.0.1:<port>/metrics
Ctrl-C stops everything.
`);
