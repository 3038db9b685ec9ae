import type { IngestToken } from '../config.js';

export type AuthResult =
  | { readonly ok: true; readonly boundNodeId: string | null }
  | { readonly ok: false; readonly status: 401; readonly message: string };

/**
 * Bearer tokens from BKPR_INGEST_TOKENS. No tokens configured: everyone may write. A token
 * bound to a node may write only that node's movements (checked per movement, 403).
 */
export class IngestAuth {
  private readonly tokens: ReadonlyMap<string, string | null>;

  constructor(tokens: readonly IngestToken[]) {
    this.tokens = new Map(tokens.map((t) => [t.token, t.nodeId]));
  }

  get open(): boolean {
    return this.tokens.size === 0;
  }

  authenticate(authorization: string | undefined): AuthResult {
    if (this.open) return { ok: true, boundNodeId: null };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, status: 401, message: 'missing bearer token (Authorization: Bearer <token>)' };
    const bound = this.tokens.get(match[1]!);
    if (bound === undefined) return { ok: false, status: 401, message: 'unknown token' };
    return { ok: true, boundNodeId: bound };
  }
}
