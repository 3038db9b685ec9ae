import type { z } from 'zod';
import { baseEnvSchema, batchSizeSchema, consumerConfig, consumerEnvFields, portSchema, type ConsumerConfig } from '@bkpr/service-kit';

export const reconcilerEnvSchema = baseEnvSchema.extend({
  RECONCILER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Recorded events per reconciliation round. */
  BKPR_RECONCILER_BATCH: batchSizeSchema,
  ...consumerEnvFields,
});

export type ReconcilerConfig = ConsumerConfig;

export function buildReconcilerConfig(env: z.output<typeof reconcilerEnvSchema>): ReconcilerConfig {
  return consumerConfig('reconciler', env, env.RECONCILER_PORT ?? env.PORT ?? 3003, env.BKPR_RECONCILER_BATCH);
}
