import { randomBytes } from 'node:crypto';
import { busNames, type BusNames } from '@bkpr/contracts';
import { deleteStreams, NatsClient } from '@bkpr/messaging';
import { defaultDatabaseUrl, dropDatabase } from '@bkpr/persistence';

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
  const base = process.env['DATABASE_URL'] ? new URL(process.env['DATABASE_URL']) : new URL(defaultDatabaseUrl(namespace));
  base.pathname = `/${namespace}`;
  const databaseUrl = base.toString();
  return {
    namespace,
    names: busNames(namespace),
    databaseUrl,
    natsUrl,
    env: (extra = {}) => ({ BKPR_NAMESPACE: namespace, DATABASE_URL: databaseUrl, NATS_URL: natsUrl, LOG_LEVEL: 'warn', ...extra }),
    cleanup: async () => {
      const nats = await NatsClient.connect({ url: natsUrl, namespace, name: 'bkpr-test-cleanup' });
      try {
        await deleteStreams(nats.jsm, nats.names);
      } finally {
        await nats.close();
      }
      await dropDatabase(databaseUrl);
    },
  };
}
