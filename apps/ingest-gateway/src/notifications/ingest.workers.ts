import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import type { BodyCheck, BodyCheckResult } from './ingest.check.js';

/**
 * One worker thread parses, validates, normalizes and encodes request bodies (≈ 20 µs a
 * movement), so the main thread only serves HTTP and publishes (≈ 30 µs a movement): a batch
 * is checked while the one before it is being published, on another core when there is one.
 */
@Injectable()
export class IngestWorkers implements OnApplicationShutdown {
  private readonly pool = new Piscina<BodyCheck, BodyCheckResult>({
    filename: new URL('./ingest.worker.js', import.meta.url).href,
    minThreads: 1,
    maxThreads: 1,
  });

  check(request: BodyCheck): Promise<BodyCheckResult> {
    return this.pool.run(request);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
