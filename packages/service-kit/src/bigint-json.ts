import { randomBytes } from 'node:crypto';
import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';

/**
 * JSON.stringify that writes bigint as a bare JSON integer, exact at any size (CLN writes
 * msat fields as integers up to 2^64). Node 20 has no JSON.rawJSON, so bigints are first
 * written as marked strings, then unquoted; the marker is random per call.
 */
export function stringifyJson(value: unknown, indent?: number): string {
  const marker = `__bigint_${randomBytes(6).toString('hex')}__`;
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${marker}${v.toString(10)}` : v), indent);
  return text.replace(new RegExp(`"${marker}(-?\\d+)"`, 'g'), '$1');
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
