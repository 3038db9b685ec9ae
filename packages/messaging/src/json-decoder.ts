import type { JsMsg } from '@nats-io/jetstream';
import type { z } from 'zod';
import { PoisonMessageError } from './batch-consumer.js';

/**
 * A decoder for a consumer: JSON parsed and checked against `schema`. Anything else is
 * poison (no retry can fix it), with the first problem as the dead-letter reason.
 */
export function jsonDecoder<S extends z.ZodType>(schema: S, what: string): (msg: JsMsg) => z.output<S> {
  return (msg) => {
    let json: unknown;
    try {
      json = msg.json();
    } catch {
      throw new PoisonMessageError('payload is not JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PoisonMessageError(`not ${what}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  };
}
