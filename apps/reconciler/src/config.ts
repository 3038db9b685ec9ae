import type { z } from 'zod';
import { baseEnvSchema, batchSizeSchema, consumerConfig, consumerEnvFields, portSchema, type ConsumerConfig } from '@bkpr/service-kit';

export const reconcilerEnvSchema = baseEnvSchema.extend({
  RECONCILER_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /**
   * Recorded announcements per reconciliation round. Each lists up to 1,000 movements
   * (≈ 350 KB), and a replica buffers two rounds: 20 keep that buffer near 14 MB at most.
   */
  BKPR_RECONCILER_BATCH: batchSizeSchema.default(20),
  ...consumerEnvFields,
});

export type ReconcilerConfig = ConsumerConfig;

export function buildReconcilerConfig(env: z.output<typeof reconcilerEnvSchema>): ReconcilerConfig {
  return consumerConfig('reconciler', env, env.RECONCILER_PORT ?? env.PORT ?? 3003, env.BKPR_RECONCILER_BATCH);
}
