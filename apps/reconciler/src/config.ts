import { z } from 'zod';
import { baseConfig, baseEnvSchema, portSchema, type BaseConfig } from '@bkpr/service-kit';

export const reconcilerEnvSchema = baseEnvSchema.extend({
  RECONCILER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  BKPR_RECONCILER_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  BKPR_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it. */
  BKPR_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
});

export interface ReconcilerConfig extends BaseConfig {
  readonly batchSize: number;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
}

export function buildReconcilerConfig(env: z.output<typeof reconcilerEnvSchema>): ReconcilerConfig {
  return {
    ...baseConfig('reconciler', env, env.RECONCILER_PORT ?? env.PORT ?? 3003),
    batchSize: env.BKPR_RECONCILER_BATCH,
    maxDeliver: env.BKPR_MAX_DELIVER,
    ackWaitMs: env.BKPR_ACK_WAIT_MS,
  };
}
