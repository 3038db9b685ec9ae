import { z } from 'zod';
import { baseConfig, baseEnvSchema, portSchema, type BaseConfig } from '@bkpr/service-kit';

export const ledgerEnvSchema = baseEnvSchema.extend({
  LEDGER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Movements fetched and committed per PostgreSQL transaction. */
  BKPR_LEDGER_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Deliveries of one message before it is dead-lettered. */
  BKPR_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it. */
  BKPR_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
});

export interface LedgerConfig extends BaseConfig {
  readonly batchSize: number;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
}

export function buildLedgerConfig(env: z.output<typeof ledgerEnvSchema>): LedgerConfig {
  return {
    ...baseConfig('ledger', env, env.LEDGER_PORT ?? env.PORT ?? 3002),
    batchSize: env.BKPR_LEDGER_BATCH,
    maxDeliver: env.BKPR_MAX_DELIVER,
    ackWaitMs: env.BKPR_ACK_WAIT_MS,
  };
}
