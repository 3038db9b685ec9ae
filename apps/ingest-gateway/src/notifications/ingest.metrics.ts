import { makeCounterProvider } from '@willsoto/nestjs-prometheus';

export const METRICS = {
  requests: 'bkpr_ingest_requests_total',
  movements: 'bkpr_ingest_movements_total',
  unknownTags: 'bkpr_ingest_unknown_tags_total',
} as const;

export const ingestMetricProviders = [
  makeCounterProvider({ name: METRICS.requests, help: 'Ingest requests by transport and answer status', labelNames: ['transport', 'status'] }),
  makeCounterProvider({ name: METRICS.movements, help: 'Movements published (accepted) or dropped as re-sends (duplicate)', labelNames: ['outcome'] }),
  makeCounterProvider({ name: METRICS.unknownTags, help: 'Movement tags not in the known set (kept, not rejected)', labelNames: ['tag'] }),
];
