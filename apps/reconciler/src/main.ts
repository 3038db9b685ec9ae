import { loadConfigOrExit, sharedPullConsumer, startService } from '@bkpr/service-kit';
import { AppModule } from './app.module.js';
import { buildReconcilerConfig, reconcilerEnvSchema } from './config.js';
import { jsonDecoder } from '@bkpr/messaging';
import { recordedEventSchema, recordedFromWire } from '@bkpr/contracts';
import { RECORDED_PATTERN } from './recorded/recorded.consumer.js';

const config = loadConfigOrExit(reconcilerEnvSchema, buildReconcilerConfig);
await startService({
  config,
  module: AppModule.forRoot(config),
  consumers: async (nats) => [
    await sharedPullConsumer(nats, {
      service: nats.names.consumers.reconciler,
      stream: nats.names.streams.recorded,
      filterSubject: nats.names.recordedFilter,
      pattern: RECORDED_PATTERN,
      maxDeliver: config.maxDeliver,
      ackWaitMs: config.ackWaitMs,
      batchSize: config.batchSize,
      decode: jsonDecoder(recordedEventSchema, 'a recorded event', { fast: recordedFromWire }),
    }),
  ],
});
