import { HttpException, Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { headers as natsHeaders, type Msg, type Subscription } from '@nats-io/transport-node';
import { InjectPinoLogger, PinoLogger } from 'nestjs-pino';
import { NatsClient } from '@bkpr/messaging';
import { stringifyJson } from '@bkpr/service-kit';
import { ReadAccessService } from './read-access.service.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { isRpcMethod, parseParams } from './rpc-params.js';
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
    this.subscription = this.nats.connection.subscribe(subject, { queue: QUEUE_GROUP, callback: (error, msg) => (error ? undefined : void this.answer(msg)) });
    this.logger.info({ subject, queue: QUEUE_GROUP }, 'answering queries on NATS');
    if (this.access.open) this.logger.warn('BKPR_READ_TOKENS is not set: anyone who reaches reporting may read every node');
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  private async answer(msg: Msg): Promise<void> {
    const method = msg.subject.slice(msg.subject.lastIndexOf('.') + 1).replace(/^bkpr-/, '');
    let status = 200;
    let body: unknown;
    try {
      if (!isRpcMethod(method)) throw new RpcError(RPC_ERRORS.methodNotFound, `Unknown command '${method}'`, 404);
      const params = msg.data.length ? JSON.parse(new TextDecoder().decode(msg.data)) : {};
      body = await this.rpc.call(method, this.access.scope(msg.headers?.get('Authorization') || undefined, parseParams(method, params)));
    } catch (error) {
      if (error instanceof HttpException) {
        status = error.getStatus();
        body = error.getResponse();
      } else if (error instanceof SyntaxError) {
        status = 400;
        body = { code: RPC_ERRORS.invalidParams, message: `params: ${error.message}` };
      } else {
        status = 500;
        body = { code: -32603, message: 'internal error' };
        this.logger.error({ err: (error as Error).message, subject: msg.subject }, 'query failed');
      }
    }
    const h = natsHeaders();
    h.set('Bkpr-Status', String(status));
    msg.respond(stringifyJson(body), { headers: h });
  }
}
