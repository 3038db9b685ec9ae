import { Body, Controller, HttpCode, HttpException, HttpStatus, Inject, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { BusUnavailableError } from '@bkpr/messaging';
import { IngestService } from './ingest.service.js';

const RETRY_AFTER_SECONDS = 5;

@Controller('v1/notifications')
export class NotificationsController {
  constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

  /** One notification or a JSON array of them; 202 once JetStream stored every one. */
  @Post()
  @HttpCode(HttpStatus.ACCEPTED)
  async post(@Body() body: unknown, @Res({ passthrough: true }) res: Response) {
    const items = Array.isArray(body) ? body : [body];
    try {
      const result = await this.ingest.ingest(items);
      if (!result.ok) {
        throw new HttpException({ error: 'invalid notification', issues: result.issues }, HttpStatus.BAD_REQUEST);
      }
      return { accepted: result.accepted, duplicates: result.duplicates, seq: result.seq };
    } catch (error) {
      if (!(error instanceof BusUnavailableError)) throw error;
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      throw new HttpException(
        { error: 'bus unavailable', message: 'nothing was accepted; resending is safe' },
        HttpStatus.SERVICE_UNAVAILABLE,
      );
    }
  }
}
