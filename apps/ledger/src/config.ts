import type { z } from 'zod';
import { baseEnvSchema, batchSizeSchema, consumerConfig, consumerEnvFields, portSchema, type ConsumerConfig } from '@bkpr/service-kit';

export const ledgerEnvSchema = baseEnvSchema.extend({
  LEDGER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Movements fetched and committed per PostgreSQL transaction. */
  BKPR_LEDGER_BATCH: batchSizeSchema,
  ...consumerEnvFields,
});

export type LedgerConfig = ConsumerConfig;

export function buildLedgerConfig(env: z.output<typeof ledgerEnvSchema>): LedgerConfig {
  return consumerConfig('ledger', env, env.LEDGER_PORT ?? env.PORT ?? 3002, env.BKPR_LEDGER_BATCH);
}
