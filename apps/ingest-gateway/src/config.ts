import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { baseConfig, baseEnvSchema, bearerTokenListSchema, portSchema, type BaseConfig, type BearerToken } from '@bkpr/service-kit';

export const gatewayEnvSchema = baseEnvSchema.extend({
  GATEWAY_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Largest request body accepted, in bytes; above it the answer is 413. */
  BKPR_INGEST_MAX_BYTES: z.coerce.number().int().min(1_024).max(512 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Comma list of `token` or `token=node_id`; unset = open (a warning is logged). */
  BKPR_INGEST_TOKENS: bearerTokenListSchema.optional(),
  /**
   * Worker threads that check request bodies. Default: the CPUs this process may run on, at most
   * 4 — which is the node's, not a container's CPU limit: a pod sets it to its limit.
   */
  BKPR_INGEST_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
});

export interface GatewayConfig extends BaseConfig {
  readonly maxBodyBytes: number;
  readonly tokens: readonly BearerToken[];
  readonly checkWorkers: number;
}

const DEFAULT_MAX_CHECK_WORKERS = 4;

export function buildGatewayConfig(env: z.output<typeof gatewayEnvSchema>): GatewayConfig {
  return {
    ...baseConfig('ingest-gateway', env, env.GATEWAY_PORT ?? env.PORT ?? 3000),
    maxBodyBytes: env.BKPR_INGEST_MAX_BYTES,
    tokens: env.BKPR_INGEST_TOKENS ?? [],
    checkWorkers: env.BKPR_INGEST_WORKERS ?? Math.min(DEFAULT_MAX_CHECK_WORKERS, availableParallelism()),
  };
}
