export { Rng, fmix32 } from './prng.js';
export { RandomIds, ReadableIds, type IdSource, type TxPurpose } from './ids.js';
export { msatJson, type JsonObject, type JsonValue } from './json.js';
export {
  NOTIFICATION_KINDS,
  notificationKindOf,
  type NotificationKind,
  type SimRecord,
  type ChainRecord,
  type ChannelRecord,
  type SnapshotRecord,
  type UtxoDepositRecord,
  type UtxoSpendRecord,
} from './records.js';
export { FORMAT_NAMES, FORMATS, createFormat, createV2Format, createNewerFormat, encodeV2, THIRD_PARTY_PLUGIN, type FormatName, type NotificationFormat, type FormatFactory } from './formats/index.js';
export { simulate } from './workload.js';
export { World, OrgNode, CoinPool, type Channel, type Party, type Emission, type WorldConfig, type NodeFlows, type NodeCounts, type TransferEnd } from './model.js';
export { withDuplicates, withReorder, type WorkloadItem, type StreamItem } from './stream.js';
export {
  Workload,
  generateWorkload,
  generateAll,
  resolveWorkloadOptions,
  DEFAULT_WORKLOAD_OPTIONS,
  type WorkloadOptions,
  type ResolvedWorkloadOptions,
} from './workload.js';
export {
  computeExpected,
  expectedToJson,
  expectedFromJson,
  netFlowMsat,
  type ExpectedResults,
  type ExpectedBalance,
  type ExpectedNodeTotals,
  type ExpectedOrgTotals,
  type NotificationCounts,
} from './expected.js';
export { foldBalances, type FoldedBalance, type FoldResult } from './fold.js';
export { demoHistory, demoItems, demoExpected, DEMO_NODE_ID, type DemoOptions } from './demo.js';
