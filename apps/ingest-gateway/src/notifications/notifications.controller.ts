import { Controller, Headers, Inject, Post, Query, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IngestService } from './ingest.service.js';

@Controller('v1/notifications')
export class NotificationsController {
  constructor(@Inject(IngestService) private readonly ingest: IngestService) {}

  /** One notification, a JSON array or NDJSON; 202 once JetStream stored every movement. */
  @Post()
  async post(
    @Req() req: Request,
    @Res() res: Response,
    @Headers('authorization') authorization: string | undefined,
    @Headers('x-bkpr-node') nodeHeader: string | undefined,
    @Query('node_id') nodeQuery: string | undefined,
  ): Promise<void> {
    const text = typeof req.body === 'string' ? req.body : '';
    const result = await this.ingest.handle({
      transport: 'http',
      text,
      contentType: req.headers['content-type'],
      authorization,
      nodeHeader,
      nodeQuery: typeof nodeQuery === 'string' ? nodeQuery : undefined,
    });
    if (result.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(result.retryAfterSeconds));
    res.status(result.status).json(result.body);
  }
}
