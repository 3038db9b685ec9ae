import { z } from 'zod';
import { busNames, DERIVED_KINDS } from './names.js';
import { NOTIFICATION_SCHEMAS } from './notification.schema.js';
import { movementWireSchema } from './movement.js';
import { recordedEventV1Schema, recordedEventV2Schema } from './recorded.js';
import { derivedEventSchema } from './derived.js';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any', target: 'draft-7' });

/**
 * The AsyncAPI 3 document of the subjects other systems may use, generated from the same
 * zod schemas the services validate with. Subject names are shown for `namespace`.
 */
export function asyncApiDocument(namespace = 'bkpr'): Record<string, unknown> {
  const names = busNames(namespace);
  const notification = z.union(Object.entries(NOTIFICATION_SCHEMAS).map(([name, schema]) => z.object({ [name]: schema })));
  const ingestReply = z.object({
    accepted: z.number().int().optional(),
    duplicates: z.number().int().optional(),
    seq: z.number().int().nullable().optional(),
    error: z.string().optional(),
    issues: z.array(z.object({ index: z.number().int(), path: z.string(), message: z.string() })).optional(),
  });
  const nodeAndKind = {
    node: { description: 'node id (66 hex) or 3rd-party source name' },
    kind: { enum: ['chain', 'channel', 'snapshot', 'utxo_deposit', 'utxo_spend'] },
  };
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'lightning-bookkeeper bus',
      version: '1.0.0',
      description: `NATS subjects of namespace "${namespace}" (BKPR_NAMESPACE). Payloads are JSON; msat amounts on our own subjects are decimal strings.`,
    },
    defaultContentType: 'application/json',
    channels: {
      ingest: {
        address: names.ingestSubject,
        description: 'Request/reply: the bodies of POST /v1/notifications (JSON, array or NDJSON); headers Authorization, X-Bkpr-Node, Content-Type. The reply is the HTTP body; its status is in the Bkpr-Status header.',
        messages: { notification: { payload: schemaOf(notification) } },
      },
      ingestReply: {
        address: null,
        description: 'The reply inbox of an ingest request.',
        messages: { ingestReply: { payload: schemaOf(ingestReply) } },
      },
      movement: {
        address: `${namespace}.movement.{node}.{kind}`,
        description: `Stream ${names.streams.movements}. Written only by the gateway; Nats-Msg-Id is the movement id.`,
        parameters: nodeAndKind,
        messages: { movement: { payload: schemaOf(movementWireSchema) } },
      },
      recorded: {
        address: `${namespace}.recorded.{node}.{kind}`,
        description: `Stream ${names.streams.recorded}. Facts the ledger stored: one message per committed batch, node and kind (v 2), listing the movements in arrival order (may repeat; stay idempotent). Version 1 (one message per movement) is no longer published but still read.`,
        parameters: nodeAndKind,
        messages: {
          recorded: { name: 'recorded', payload: schemaOf(recordedEventV2Schema) },
          recordedV1: { name: 'recordedV1', summary: 'Version 1, one per movement: no longer published, still read.', payload: schemaOf(recordedEventV1Schema) },
        },
      },
      derived: {
        address: `${namespace}.derived.{node}.{kind}`,
        description: `Stream ${names.streams.derived}. A figure the reconciler derived (on-chain fee delta, confirmed send to external, resolved channel, problem, internal transfer between accounts we track), once each.`,
        parameters: { node: nodeAndKind.node, kind: { enum: [...DERIVED_KINDS] } },
        messages: { derived: { payload: schemaOf(derivedEventSchema) } },
      },
    },
    operations: {
      ingest: {
        action: 'receive',
        channel: { $ref: '#/channels/ingest' },
        reply: { channel: { $ref: '#/channels/ingestReply' } },
      },
      publishMovement: { action: 'send', channel: { $ref: '#/channels/movement' } },
      publishRecorded: { action: 'send', channel: { $ref: '#/channels/recorded' } },
      publishDerived: { action: 'send', channel: { $ref: '#/channels/derived' } },
    },
  };
}
