import { headers as natsHeaders, type Msg, type Subscription } from '@nats-io/transport-node';
import type { NatsClient } from './nats-client.js';

/** An answer on NATS: the body as an HTTP one would be, the status in `Bkpr-Status`. */
export interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface RequestServer {
  readonly subject: string;
  /** Replicas share the requests through this queue group. */
  readonly queue: string;
  readonly handle: (msg: Msg) => Promise<Reply>;
  /** The reply when `handle` itself failed (a bug, not a bad request). */
  readonly failed: (error: unknown, msg: Msg) => Reply;
}

/** Answers request/reply on a subject: the same bodies and statuses as the HTTP twin. */
export function serveRequests(nats: NatsClient, server: RequestServer): Subscription {
  const respond = (msg: Msg, reply: Reply) => {
    const h = natsHeaders();
    h.set('Bkpr-Status', String(reply.status));
    for (const [name, value] of Object.entries(reply.headers ?? {})) h.set(name, value);
    msg.respond(reply.body, { headers: h });
  };
  return nats.connection.subscribe(server.subject, {
    queue: server.queue,
    callback: (error, msg) => {
      if (error) return;
      void server.handle(msg).then(
        (reply) => respond(msg, reply),
        (failure: unknown) => respond(msg, server.failed(failure, msg)),
      );
    },
  });
}

/** A request header, or undefined when absent or empty. */
export function requestHeader(msg: Msg, name: string): string | undefined {
  return msg.headers?.get(name) || undefined;
}
