import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { json, raw } from 'express';

/**
 * Notification bodies are read as bytes (the gateway parses JSON and NDJSON itself, to say
 * where malformed input breaks, and decodes them in its worker thread); everything else as JSON. A body over the limit is 413,
 * a body the parser refuses is 400, both as JSON.
 */
export function configureIngestHttp(app: NestExpressApplication, maxBodyBytes: number): void {
  app.use('/v1/notifications', raw({ type: () => true, limit: maxBodyBytes }));
  app.use(json({ limit: '1mb' }));
  app.use((error: { type?: string; status?: number; message?: string }, _req: Request, res: Response, next: NextFunction) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: 'payload too large', limit_bytes: maxBodyBytes });
      return;
    }
    if (error.status !== undefined && error.status >= 400 && error.status < 500) {
      res.status(error.status).json({ error: 'bad request', message: error.message ?? 'unreadable body' });
      return;
    }
    next(error);
  });
}
