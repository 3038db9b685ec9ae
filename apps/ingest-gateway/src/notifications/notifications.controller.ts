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
    const body = requestBody(req);
    if (typeof body === 'object' && 'unsupported' in body) {
      res.status(415).json({ error: 'bad request', message: `unsupported charset "${body.unsupported.toUpperCase()}"` });
      return;
    }
    const result = await this.ingest.handle({
      transport: 'http',
      body,
      contentType: req.headers['content-type'],
      authorization,
      nodeHeader,
      nodeQuery: typeof nodeQuery === 'string' ? nodeQuery : undefined,
    });
    if (result.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(result.retryAfterSeconds));
    res.status(result.status).json(result.body);
  }
}

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)/i;

/**
 * The raw body: UTF-8 bytes as they are (decoded in the worker), text in any other charset the
 * content type names decoded here.
 */
function requestBody(req: Request): Uint8Array | string | { unsupported: string } {
  const bytes: unknown = req.body;
  if (!(bytes instanceof Uint8Array)) return '';
  const charset = CHARSET.exec(req.headers['content-type'] ?? '')?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return bytes;
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return { unsupported: charset };
  }
}
