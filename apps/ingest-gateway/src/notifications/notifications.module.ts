import { Module } from '@nestjs/common';
import { IngestService } from './ingest.service.js';
import { IngestResponder } from './ingest.responder.js';
import { IngestWorkers } from './ingest.workers.js';
import { ingestMetricProviders } from './ingest.metrics.js';
import { NotificationsController } from './notifications.controller.js';
import { AsyncApiController } from './asyncapi.controller.js';

@Module({ controllers: [NotificationsController, AsyncApiController], providers: [IngestService, IngestWorkers, IngestResponder, ...ingestMetricProviders] })
export class NotificationsModule {}
