import { Module } from '@nestjs/common';
import { IngestService } from './ingest.service.js';
import { NotificationsController } from './notifications.controller.js';

@Module({ controllers: [NotificationsController], providers: [IngestService] })
export class NotificationsModule {}
