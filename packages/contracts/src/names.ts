/**
 * Every stream, consumer, subject and the default database name derive from one
 * namespace (BKPR_NAMESPACE, default `bkpr`), so test runs and benchmarks never touch
 * each other's data or a user's.
 */
export const DEFAULT_NAMESPACE = 'bkpr';

export const MOVEMENT_KINDS = ['chain', 'channel', 'snapshot', 'utxo_deposit', 'utxo_spend', 'description'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

export const DERIVED_KINDS = ['onchain_fee', 'external_finalized', 'channel_resolved', 'problem', 'internal_transfer'] as const;
export type DerivedKind = (typeof DERIVED_KINDS)[number];

const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;

export function isValidNamespace(namespace: string): boolean {
  return NAMESPACE_PATTERN.test(namespace);
}

export interface BusNames {
  readonly namespace: string;
  readonly streams: { readonly movements: string; readonly recorded: string; readonly derived: string; readonly dlq: string };
  readonly consumers: { readonly ledger: string; readonly reconciler: string };
  /** Subject a movement of `node` is published on. */
  movementSubject(node: string, kind: MovementKind): string;
  readonly movementFilter: string;
  /** Subject a stored fact is announced on, after commit. */
  recordedSubject(node: string, kind: MovementKind): string;
  readonly recordedFilter: string;
  /** Subject a derived figure (fee, confirmation, resolution, problem, internal transfer) is announced on. */
  derivedSubject(node: string, kind: DerivedKind): string;
  readonly derivedFilter: string;
  dlqSubject(service: string): string;
  readonly dlqFilter: string;
  readonly ingestSubject: string;
  querySubject(method: string): string;
}

export function busNames(namespace: string = DEFAULT_NAMESPACE): BusNames {
  if (!isValidNamespace(namespace)) {
    throw new Error(`namespace "${namespace}": expected lower-case letters, digits and _ (max 40), starting with a letter`);
  }
  const streamPrefix = namespace.toUpperCase();
  return {
    namespace,
    streams: {
      movements: `${streamPrefix}_MOVEMENTS`,
      recorded: `${streamPrefix}_RECORDED`,
      derived: `${streamPrefix}_DERIVED`,
      dlq: `${streamPrefix}_DLQ`,
    },
    consumers: { ledger: 'ledger', reconciler: 'reconciler' },
    movementSubject: (node, kind) => `${namespace}.movement.${node}.${kind}`,
    movementFilter: `${namespace}.movement.>`,
    recordedSubject: (node, kind) => `${namespace}.recorded.${node}.${kind}`,
    recordedFilter: `${namespace}.recorded.>`,
    derivedSubject: (node, kind) => `${namespace}.derived.${node}.${kind}`,
    derivedFilter: `${namespace}.derived.>`,
    dlqSubject: (service) => `${namespace}.dlq.${service}`,
    dlqFilter: `${namespace}.dlq.>`,
    ingestSubject: `${namespace}.ingest`,
    querySubject: (method) => `${namespace}.query.${method}`,
  };
}
