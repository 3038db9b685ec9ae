import { HttpException, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/transport-node';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NatsClient, replyBodyLimit, requestHeader, serveRequests, type Reply } from '@bkpr/messaging';
import { StreamedJson, stringifyJson } from '@bkpr/service-kit';
import { ReadAccessService } from './read-access.service.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { isRpcMethod } from './rpc-params.js';
import { RpcService } from './rpc.service.js';

const QUEUE_GROUP = 'reporting';

/**
 * `<ns>.query.<method>` request/reply: the same commands, params and answers as
 * `POST /v1/rpc/<method>`; the status is in the reply's `Bkpr-Status` header.
 */
@Injectable()
export class QueryResponder implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | null = null;

  constructor(
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(RpcService) private readonly rpc: RpcService,
    @Inject(ReadAccessService) private readonly access: ReadAccessService,
    @InjectPinoLogger(QueryResponder.name) private readonly logger: PinoLogger,
  ) {}

  onApplicationBootstrap(): void {
    const subject = this.nats.names.querySubject('>');
    this.subscription = serveRequests(this.nats, {
      subject,
      queue: QUEUE_GROUP,
      handle: (msg) => this.answer(msg),
      failed: (failure, msg) => {
        this.logger.error({ err: (failure as Error).message, subject: msg.subject }, 'query failed');
        return { status: 500, body: stringifyJson({ code: -32603, message: 'internal error' }) };
      },
      tooLarge: (bytes, limit) => tooLarge(`${bytes} bytes`, limit),
    });
    this.logger.info({ subject, queue: QUEUE_GROUP }, 'answering queries on NATS');
    if (this.access.open) this.logger.warn('BKPR_READ_TOKENS is not set: anyone who reaches reporting may read every node');
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  private async answer(msg: Msg): Promise<Reply> {
    const name = msg.subject.slice(msg.subject.lastIndexOf('.') + 1);
    const method = name.replace(/^bkpr-/, '');
    try {
      // As lightningd words it (and the HTTP edge): the command's name as it was asked.
      if (!isRpcMethod(method)) throw new RpcError(RPC_ERRORS.methodNotFound, `Unknown command '${name}'`, 404);
      const params = msg.data.length ? JSON.parse(new TextDecoder().decode(msg.data)) : {};
      const body = await this.rpc.call(method, this.access.params(method, params, requestHeader(msg, 'Authorization')));
      if (!(body instanceof StreamedJson)) return { status: 200, body: stringifyJson(body) };
      // Rows streamed over HTTP must fit one message here: encoded only up to what the bus carries.
      const limit = replyBodyLimit(this.nats);
      const bytes = body.bytesUpTo(limit);
      return bytes === null ? tooLarge(`more than ${limit} bytes`, limit) : { status: 200, body: bytes };
    } catch (error) {
      if (error instanceof HttpException) return { status: error.getStatus(), body: stringifyJson(error.getResponse()) };
      if (error instanceof SyntaxError) return { status: 400, body: stringifyJson({ code: RPC_ERRORS.invalidParams, message: `params: ${error.message}` }) };
      throw error;
    }
  }
}

/** The answer to a query whose answer is more than one NATS message carries. */
function tooLarge(size: string, limit: number): Reply {
  return {
    status: 413,
    body: stringifyJson({
      code: RPC_ERRORS.invalidParams,
      message: `the answer (${size}) is more than one NATS message carries (${limit} bytes): ask over HTTP (POST /v1/rpc/<method>), or page it with limit and cursor`,
    }),
  };
}
