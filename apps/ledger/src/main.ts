import { loadConfigOrExit, sharedPullConsumer, startService } from '@bkpr/service-kit';
import { AppModule } from './app.module.js';
import { buildLedgerConfig, ledgerEnvSchema } from './config.js';
import { jsonDecoder } from '@bkpr/messaging';
import { movementFromWire, movementWireSchema } from '@bkpr/contracts';
import { MOVEMENTS_PATTERN } from './movements/movements.consumer.js';

const config = loadConfigOrExit(ledgerEnvSchema, buildLedgerConfig);
await startService({
  config,
  module: AppModule.forRoot(config),
  consumers: async (nats) => [
    await sharedPullConsumer(nats, {
      service: nats.names.consumers.ledger,
      stream: nats.names.streams.movements,
      filterSubject: nats.names.movementFilter,
      pattern: MOVEMENTS_PATTERN,
      maxDeliver: config.maxDeliver,
      ackWaitMs: config.ackWaitMs,
      batchSize: config.batchSize,
      concurrency: config.concurrency,
      decode: jsonDecoder(movementWireSchema, 'a movement', { fast: movementFromWire }),
    }),
  ],
});
