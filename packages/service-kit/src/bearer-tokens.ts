import { z } from 'zod';
import { nodeIdSchema, sourceNameSchema } from '@bkpr/contracts';

/** A bearer token, optionally bound to the one node (or 3rd-party source) it may act for. */
export interface BearerToken {
  readonly token: string;
  readonly nodeId: string | null;
}

/** `token` or `token=node_id`, comma separated (BKPR_INGEST_TOKENS, BKPR_READ_TOKENS). */
export const bearerTokenListSchema = z.string().transform((text, ctx): BearerToken[] => {
  const tokens: BearerToken[] = [];
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [token, node] = entry.split('=', 2) as [string, string | undefined];
    if (token.length < 16) {
      ctx.addIssue({ code: 'custom', message: 'each token must be at least 16 characters' });
      return z.NEVER;
    }
    if (node !== undefined && !nodeIdSchema.safeParse(node).success && !sourceNameSchema.safeParse(node).success) {
      ctx.addIssue({ code: 'custom', message: `"${node.slice(0, 70)}" is neither a node id nor a source name` });
      return z.NEVER;
    }
    tokens.push({ token, nodeId: node === undefined ? null : node.toLowerCase() });
  }
  return tokens;
});

export type BearerAuthResult = { readonly ok: true; readonly boundNodeId: string | null } | { readonly ok: false; readonly message: string };

/**
 * Bearer tokens: none configured means open; otherwise a request needs a known token, and a
 * token bound to a node acts for that node only (the caller checks what it touches).
 */
export class BearerTokens {
  private readonly tokens: ReadonlyMap<string, string | null>;

  constructor(tokens: readonly BearerToken[]) {
    this.tokens = new Map(tokens.map((t) => [t.token, t.nodeId]));
  }

  get open(): boolean {
    return this.tokens.size === 0;
  }

  authenticate(authorization: string | undefined): BearerAuthResult {
    if (this.open) return { ok: true, boundNodeId: null };
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) return { ok: false, message: 'missing bearer token (Authorization: Bearer <token>)' };
    const bound = this.tokens.get(match[1]!);
    if (bound === undefined) return { ok: false, message: 'unknown token' };
    return { ok: true, boundNodeId: bound };
  }
}
