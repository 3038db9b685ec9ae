import type { JsMsg } from '@nats-io/jetstream';
import type { z } from 'zod';
import { PoisonMessageError } from './batch-consumer.js';

export interface JsonDecoderOptions<T> {
  /**
   * A cheaper check of the usual message: the value `schema` would give when the JSON is
   * certainly valid, undefined to let `schema` decide (and name the problem). It must never
   * accept what `schema` rejects.
   */
  readonly fast?: (json: unknown) => T | undefined;
}

/**
 * A decoder for a consumer: JSON parsed and checked against `schema`. Anything else is
 * poison (no retry can fix it), with the first problem as the dead-letter reason.
 */
export function jsonDecoder<S extends z.ZodType>(schema: S, what: string, options: JsonDecoderOptions<z.output<S>> = {}): (msg: JsMsg) => z.output<S> {
  const fast = options.fast;
  return (msg) => {
    let json: unknown;
    try {
      json = msg.json();
    } catch {
      throw new PoisonMessageError('payload is not JSON');
    }
    if (fast !== undefined) {
      const value = fast(json);
      if (value !== undefined) return value;
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new PoisonMessageError(`not ${what}: ${issue.path.join('.')}: ${issue.message}`);
    }
    return parsed.data;
  };
}
