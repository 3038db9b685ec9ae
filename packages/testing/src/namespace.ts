import { randomBytes } from 'node:crypto';
import { busNames, type BusNames } from '@bkpr/contracts';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';

export interface TestNamespace {
  readonly namespace: string;
  readonly names: BusNames;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  /** Environment for a service process of this namespace. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** Deletes the namespace's streams and database. */
  cleanup(): Promise<void>;
}

/** A namespace of its own for one test run: its streams and its database, removed after. */
export function freshNamespace(prefix = 'bkpr_t'): TestNamespace {
  const namespace = `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const natsUrl = process.env['NATS_URL'] || 'nats://127.0.0.1:4222';
  const base = new URL(process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/postgres');
  base.pathname = `/${namespace}`;
  const databaseUrl = base.toString();
  return {
    namespace,
    names: busNames(namespace),
    databaseUrl,
    natsUrl,
    env: (extra = {}) => ({ BKPR_NAMESPACE: namespace, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, LOG_LEVEL: 'warn', ...extra }),
    cleanup: async () => {
      const connection = await connect({ servers: natsUrl, name: 'bkpr-test-cleanup' });
      try {
        const jsm = await jetstreamManager(connection);
        for (const stream of Object.values(busNames(namespace).streams)) {
          await jsm.streams.delete(stream).catch(() => false); // never created, or already gone
        }
      } finally {
        await connection.close();
      }
      const admin = new URL(databaseUrl);
      admin.pathname = '/postgres';
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(namespace)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
