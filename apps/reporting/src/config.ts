import type { z } from 'zod';
import { baseConfig, baseEnvSchema, bearerTokenListSchema, portSchema, type BaseConfig, type BearerToken } from '@bkpr/service-kit';

export const reportingEnvSchema = baseEnvSchema.extend({
  REPORTING_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Comma list of `token` or `token=node_id`; unset = open (a warning is logged). */
  BKPR_READ_TOKENS: bearerTokenListSchema.optional(),
});

export interface ReportingConfig extends BaseConfig {
  readonly readTokens: readonly BearerToken[];
}

export function buildReportingConfig(env: z.output<typeof reportingEnvSchema>): ReportingConfig {
  return { ...baseConfig('reporting', env, env.REPORTING_PORT ?? env.PORT ?? 3001), readTokens: env.BKPR_READ_TOKENS ?? [] };
}
