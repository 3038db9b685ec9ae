import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const RECONCILER_METRICS = { problems: 'bkpr_reconciler_problems_total' } as const;

export const reconcilerMetricProviders = [
  makeCounterProvider({ name: RECONCILER_METRICS.problems, help: 'Inconsistencies found in the facts (CLN would stop), by code', labelNames: ['code'] }),
];
