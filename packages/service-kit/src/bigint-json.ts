import { randomBytes } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * JSON.stringify that writes bigint as a bare JSON integer, exact at any size (CLN writes
 * msat fields as integers up to 2^64). Values a double holds exactly go out as numbers; the
 * rare larger ones (Node 20 has no JSON.rawJSON) as marked strings, unquoted afterwards —
 * the marker is random per call, and the rewrite only runs when there is such a value.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  let marker: string | null = null;
  const text = JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v !== 'bigint') return v;
      if (v <= MAX_EXACT && v >= -MAX_EXACT) return Number(v);
      marker ??= `__bigint_${randomBytes(6).toString('hex')}__`;
      return `${marker}${v.toString(10)}`;
    },
    indent,
  );
  return marker === null ? text : text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
}

/** Sends handler results through stringifyJson, so controllers may return bigint msat. */
@Injectable()
export class BigIntJsonInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const response = context.switchToHttp().getResponse<{ type(t: string): unknown }>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (typeof body === 'string' || body === undefined) return body;
        response.type('application/json');
        return stringifyJson(body);
      }),
    );
  }
}
