import { z } from 'zod';
import { baseConfig, baseEnvSchema, portSchema, type BaseConfig } from '@bkpr/service-kit';

export const ledgerEnvSchema = baseEnvSchema.extend({
  LEDGER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Movements fetched and committed per PostgreSQL transaction. */
  BKPR_LEDGER_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Deliveries of one message before it is dead-lettered. */
  BKPR_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
});

export interface LedgerConfig extends BaseConfig {
  readonly batchSize: number;
  readonly maxDeliver: number;
}

export function buildLedgerConfig(env: z.output<typeof ledgerEnvSchema>): LedgerConfig {
  return {
    ...baseConfig('ledger', env, env.LEDGER_PORT ?? env.PORT ?? 3002),
    batchSize: env.BKPR_LEDGER_BATCH,
    maxDeliver: env.BKPR_MAX_DELIVER,
  };
}
