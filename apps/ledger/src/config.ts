import { z } from 'zod';
import { baseEnvSchema, batchSizeSchema, consumerConfig, consumerEnvFields, portSchema, type ConsumerConfig } from '@bkpr/service-kit';

export const ledgerEnvSchema = baseEnvSchema.extend({
  LEDGER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Movements fetched and committed per PostgreSQL transaction (1,000 measured faster than 500 and 250). */
  BKPR_LEDGER_BATCH: batchSizeSchema.default(1_000),
  /** Batches one replica commits at the same time (their transactions overlap their announcements and acks). */
  BKPR_LEDGER_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  ...consumerEnvFields,
});

export interface LedgerConfig extends ConsumerConfig {
  readonly concurrency: number;
}

export function buildLedgerConfig(env: z.output<typeof ledgerEnvSchema>): LedgerConfig {
  return { ...consumerConfig('ledger', env, env.LEDGER_PORT ?? env.PORT ?? 3002, env.BKPR_LEDGER_BATCH), concurrency: env.BKPR_LEDGER_CONCURRENCY };
}
