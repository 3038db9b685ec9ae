import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { RPC_METHODS, type RpcMethod } from './rpc-params.js';

/** The GET routes of RpcController that answer a command. */
const FRIENDLY_GETS: readonly { path: string; method: RpcMethod }[] = [
  { path: '/v1/balances', method: 'listbalances' },
  { path: '/v1/income', method: 'listincome' },
  { path: '/v1/accounts/{account}/events', method: 'listaccountevents' },
  { path: '/v1/accounts/{account}/inspect', method: 'inspect' },
  { path: '/v1/channels/apy', method: 'channelsapy' },
  { path: '/v1/problems', method: 'listproblems' },
];

const errorSchema = z.object({ code: z.number().int(), message: z.string() }).meta({ description: "CLN's JSON-RPC error: code and message" });

/** Reporting's OpenAPI document, generated from the same zod schemas that check the params. */
export function reportingOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  const registry = new OpenAPIRegistry();
  for (const [method, { schema, positional }] of Object.entries(RPC_METHODS)) {
    registry.registerPath({
      method: 'post',
      path: `/v1/rpc/bkpr-${method}`,
      summary: `bkpr-${method}${positional.length ? ` (positional: ${positional.join(', ')})` : ''}`,
      description: 'CLN bookkeeper command; also without the `bkpr-` prefix and on NATS `<ns>.query.bkpr-' + method + '`. Rows carry `node_id`; the result carries `as_of`.',
      request: { body: { content: { 'application/json': { schema } } } },
      responses: {
        200: { description: "CLN's result shape, plus node_id on rows and as_of", content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } },
        400: { description: 'bad params (−32602) or a command error', content: { 'application/json': { schema: errorSchema } } },
        401: { description: 'BKPR_READ_TOKENS set and no or an unknown token', content: { 'application/json': { schema: errorSchema } } },
        403: { description: 'a node-bound token asked for another node', content: { 'application/json': { schema: errorSchema } } },
        503: { description: 'the ledger has not caught up within 5 s; retry after Retry-After', content: { 'application/json': { schema: errorSchema } } },
      },
    });
  }
  registry.registerPath({
    method: 'get',
    path: '/v1/income.csv',
    summary: 'The income statement as CSV, byte-for-byte as bkpr-dumpincomecsv writes it',
    request: { query: z.object({ format: z.enum(['cointracker', 'koinly', 'harmony', 'quickbooks', 'cointracker-strict', 'quickbooks-strict']), consolidate_fees: z.enum(['true', 'false']).optional(), start_time: z.string().optional(), end_time: z.string().optional(), node_id: z.string().optional() }) },
    responses: { 200: { description: 'text/csv', content: { 'text/csv': { schema: z.string() } } } },
  });
  for (const get of FRIENDLY_GETS) {
    const shape = RPC_METHODS[get.method].schema.shape as Record<string, z.ZodType>;
    const query = z.object(Object.fromEntries(Object.entries(shape).filter(([name]) => name !== 'account')));
    registry.registerPath({
      method: 'get',
      path: get.path,
      summary: `bkpr-${get.method} for dashboards: the same answer, params in the query string`,
      request: { query, ...(get.path.includes('{account}') ? { params: z.object({ account: z.string() }) } : {}) },
      responses: { 200: { description: `bkpr-${get.method}'s result`, content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } } },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: { title: 'lightning-bookkeeper reporting', version: '1', description: "Core Lightning bookkeeper's queries for an organization of nodes." },
  });
}
