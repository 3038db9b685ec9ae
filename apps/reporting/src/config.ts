import type { z } from 'zod';
import { baseConfig, baseEnvSchema, portSchema, type BaseConfig } from '@bkpr/service-kit';

export const reportingEnvSchema = baseEnvSchema.extend({
  REPORTING_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
});

export type ReportingConfig = BaseConfig;

export function buildReportingConfig(env: z.output<typeof reportingEnvSchema>): ReportingConfig {
  return baseConfig('reporting', env, env.REPORTING_PORT ?? env.PORT ?? 3001);
}
