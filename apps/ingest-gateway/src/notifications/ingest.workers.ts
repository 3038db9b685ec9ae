import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import { checkBody, type BodyCheck, type BodyCheckResult } from './ingest.check.js';

/** Bodies up to this many characters (a few notifications) are checked on the main thread: the hop to the worker would cost them more than it saves. */
const INLINE_MAX_CHARS = 16 * 1024;

/**
 * One worker thread parses, validates, normalizes and encodes request bodies (≈ 20 µs a
 * movement), so the main thread only serves HTTP and publishes (≈ 40 µs a movement): a batch
 * is checked while the one before it is being published, on another core when there is one.
 */
@Injectable()
export class IngestWorkers implements OnApplicationShutdown {
  private readonly pool = new Piscina<BodyCheck, BodyCheckResult>({
    filename: new URL('./ingest.worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
  });

  async check(request: BodyCheck): Promise<BodyCheckResult> {
    return request.text.length <= INLINE_MAX_CHARS ? checkBody(request) : this.pool.run(request);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
