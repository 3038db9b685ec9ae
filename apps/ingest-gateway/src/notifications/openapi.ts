import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { NOTIFICATION_SCHEMAS } from '@bkpr/contracts';

const notificationSchema = z
  .union(Object.entries(NOTIFICATION_SCHEMAS).map(([name, schema]) => z.object({ [name]: schema }).strict()))
  .meta({
    description:
      'One notification as CLN emits it. Also accepted inside a JSON-RPC envelope ({"jsonrpc":"2.0","method":...,"params":...}) or a plugin envelope ({"origin":...,"payload":...}).',
  });

const acceptedSchema = z.object({
  accepted: z.number().int().meta({ description: 'movements newly stored on the bus' }),
  duplicates: z.number().int().meta({ description: 're-sends of movements already stored' }),
  seq: z.number().int().nullable().meta({ description: 'highest stream sequence of this request' }),
});
const issueSchema = z.object({ index: z.number().int(), path: z.string(), message: z.string() });
const invalidSchema = z.object({ error: z.literal('invalid notification'), issues: z.array(issueSchema), issue_count: z.number().int() });
const malformedSchema = z.object({ error: z.literal('malformed body'), message: z.string(), line: z.number().int(), column: z.number().int() });
const errorSchema = z.object({ error: z.string(), message: z.string().optional() });

/** The gateway's OpenAPI document, generated from the same zod schemas that validate requests. */
export function gatewayOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
  registry.registerPath({
    method: 'post',
    path: '/v1/notifications',
    summary: 'Ingest notifications: one, a JSON array, or NDJSON (application/x-ndjson). All or nothing per request.',
    request: {
      query: z.object({ node_id: z.string().optional().meta({ description: 'node (or 3rd-party source) of utxo_deposit / utxo_spend' }) }),
      headers: z.object({ 'x-bkpr-node': z.string().optional() }),
      body: { content: { 'application/json': { schema: z.union([notificationSchema, z.array(notificationSchema)]) }, 'application/x-ndjson': { schema: z.string() } } },
    },
    responses: {
      202: { description: 'JetStream stored every movement', content: json(acceptedSchema) },
      400: { description: 'invalid notification (nothing published) or malformed body', content: json(z.union([invalidSchema, malformedSchema])) },
      401: { description: 'missing or unknown bearer token', content: json(errorSchema) },
      403: { description: 'the token is bound to another node', content: json(errorSchema) },
      413: { description: 'body over BKPR_INGEST_MAX_BYTES', content: json(errorSchema) },
      503: { description: 'the bus could not store it; nothing accepted; retry after Retry-After seconds', content: json(errorSchema) },
    },
  });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'lightning-bookkeeper ingest gateway', version: '1', description: 'Takes Core Lightning bookkeeper notifications for an organization of nodes.' },
  });
}
