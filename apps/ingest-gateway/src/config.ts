import { z } from 'zod';
import { nodeIdSchema, sourceNameSchema } from '@bkpr/contracts';
import { baseConfig, baseEnvSchema, portSchema, type BaseConfig } from '@bkpr/service-kit';

/** A bearer token, optionally bound to the one node (or 3rd-party source) it may write for. */
export interface IngestToken {
  readonly token: string;
  readonly nodeId: string | null;
}

const tokenListSchema = z
  .string()
  .transform((text, ctx): IngestToken[] => {
    const tokens: IngestToken[] = [];
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

export const gatewayEnvSchema = baseEnvSchema.extend({
  GATEWAY_PORT: portSchema.optional(),
  PORT: portSchema.optional(),
  /** Largest request body accepted, in bytes; above it the answer is 413. */
  BKPR_INGEST_MAX_BYTES: z.coerce.number().int().min(1_024).max(512 * 1024 * 1024).default(16 * 1024 * 1024),
  /** Comma list of `token` or `token=node_id`; unset = open (a warning is logged). */
  BKPR_INGEST_TOKENS: tokenListSchema.optional(),
});

export interface GatewayConfig extends BaseConfig {
  readonly maxBodyBytes: number;
  readonly tokens: readonly IngestToken[];
}

export function buildGatewayConfig(env: z.output<typeof gatewayEnvSchema>): GatewayConfig {
  return {
    ...baseConfig('ingest-gateway', env, env.GATEWAY_PORT ?? env.PORT ?? 3000),
    maxBodyBytes: env.BKPR_INGEST_MAX_BYTES,
    tokens: env.BKPR_INGEST_TOKENS ?? [],
  };
}
