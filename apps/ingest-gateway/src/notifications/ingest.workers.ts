import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import { SERVICE_CONFIG } from '@bkpr/service-kit';
import type { GatewayConfig } from '../config.js';
import { checkBody, type BodyCheck, type BodyCheckResult } from './ingest.check.js';

/** Bodies up to this many bytes (a few notifications) are checked on the main thread: the hop to the worker would cost them more than it saves. */
const INLINE_MAX_BYTES = 16 * 1024;

/**
 * Worker threads parse, validate, normalize and encode request bodies (≈ 12 µs a movement), so
 * the main thread only serves HTTP and publishes (≈ 14 µs a movement). As many as the CPUs the
 * gateway may use (`checkWorkers`): requests in flight at the same time (several nodes posting)
 * are checked at the same time instead of queueing behind each other — a batch's time to its
 * answer is what bounds the throughput of clients that keep a few batches in flight, not CPU
 * (measured with 2 in flight on 2 cores: one worker 13k–16k movements/s with every thread under
 * 30 % busy; two workers 25k–33k/s).
 */
@Injectable()
export class IngestWorkers implements OnApplicationShutdown {
  private readonly pool: Piscina<BodyCheck, BodyCheckResult>;

  constructor(@Inject(SERVICE_CONFIG) config: GatewayConfig) {
    this.pool = new Piscina({
      filename: new URL('./ingest.worker.js', import.meta.url).href,
      minThreads: config.checkWorkers,
      maxThreads: config.checkWorkers,
    });
  }

  async check(request: BodyCheck): Promise<BodyCheckResult> {
    const { body } = request;
    if ((typeof body === 'string' ? body.length : body.byteLength) <= INLINE_MAX_BYTES) return checkBody(request);
    if (typeof body === 'string') return this.pool.run(request);
    // The bytes are moved to the worker, not copied, and decoded there. A view into a larger
    // buffer (a NATS message, a pooled Buffer) is copied first: moving its buffer would take the
    // rest along (new Uint8Array copies; a Buffer's slice would be another view).
    const own = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength ? body : new Uint8Array(body);
    return this.pool.run({ ...request, body: own }, { transferList: [own.buffer as ArrayBuffer] });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
