import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { BearerTokens, SERVICE_CONFIG } from '@bkpr/service-kit';
import type { ReportingConfig } from '../config.js';
import { RpcError } from './rpc-error.js';
import { parseParams, type RpcMethod, type RpcParams } from './rpc-params.js';

/**
 * BKPR_READ_TOKENS: a caller needs a known bearer token when tokens are configured; a token
 * bound to a node reads (and edits) that node only — its queries are scoped to it.
 */
@Injectable()
export class ReadAccessService {
  private readonly tokens: BearerTokens;

  constructor(@Inject(SERVICE_CONFIG) config: ReportingConfig) {
    this.tokens = new BearerTokens(config.readTokens);
  }

  get open(): boolean {
    return this.tokens.open;
  }

  /** A command's params as sent, checked, then as this caller may run them. */
  params<M extends RpcMethod>(method: M, sent: unknown, authorization: string | undefined): RpcParams<M> {
    return this.scope(authorization, parseParams(method, sent));
  }

  /** The params as this caller may run them: `node_id` forced to a bound token's node. */
  scope<P extends { node_id?: string | undefined }>(authorization: string | undefined, params: P): P {
    const auth = this.tokens.authenticate(authorization);
    if (!auth.ok) throw new RpcError(-32600, auth.message, HttpStatus.UNAUTHORIZED);
    if (auth.boundNodeId === null) return params;
    if (params.node_id !== undefined && params.node_id !== auth.boundNodeId) {
      throw new RpcError(-32600, `this token may read only ${auth.boundNodeId}`, HttpStatus.FORBIDDEN);
    }
    return { ...params, node_id: auth.boundNodeId };
  }
}
