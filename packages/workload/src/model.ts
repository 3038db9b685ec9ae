import type { NotificationFormat } from './formats/format.js';
import { MinHeap } from './heap.js';
import type { IdSource } from './ids.js';
import type { Rng } from './prng.js';
import type { ChainRecord, ChannelRecord, SimRecord } from './records.js';

/**
 * The organization as the simulator sees it: nodes, their on-chain wallets, channels and
 * 3rd-party wallets, with exact msat balances. Every action changes this model and schedules
 * the notifications the nodes would send for it, so the model is the "truth" the expected
 * results are read from, independently of the notifications.
 *
 * On-chain amounts are whole satoshis (msat multiples of 1000); channel balances are msat.
 */

export const MSAT_PER_SAT = 1000n;
/** Outputs below this (satoshis) are not created: their value goes to the miner. */
export const DUST_LIMIT_SAT = 546n;
export const ANCHOR_SAT = 330n;

export interface Utxo {
  readonly txid: string;
  readonly vout: number;
  readonly amountMsat: bigint;
}

/** An on-chain wallet: confirmed coins it can spend, and coins spent by a transaction not confirmed yet. */
export class CoinPool {
  spendable: Utxo[] = [];
  /** Spent by a broadcast transaction that has not confirmed: the node still counts them. */
  reserved: Utxo[] = [];

  totalMsat(): bigint {
    let sum = 0n;
    for (const u of this.spendable) sum += u.amountMsat;
    for (const u of this.reserved) sum += u.amountMsat;
    return sum;
  }

  spendableMsat(): bigint {
    let sum = 0n;
    for (const u of this.spendable) sum += u.amountMsat;
    return sum;
  }
}

export interface ThirdPartyWallet {
  /** The account name (free text, e.g. "cold storage"). */
  readonly name: string;
  readonly coins: CoinPool;
  /** An account exists once its first event was sent. */
  seen: boolean;
}

/** Money flows per node, in msat; see expected.ts for what each one means. */
export interface NodeFlows {
  depositsFromOutsideMsat: bigint;
  transfersInMsat: bigint;
  invoiceIncomeMsat: bigint;
  routingFeesEarnedMsat: bigint;
  pushedInMsat: bigint;
  leaseFeesEarnedMsat: bigint;
  anchorsReceivedMsat: bigint;
  sendsToOutsideMsat: bigint;
  transfersOutMsat: bigint;
  invoiceExpenseMsat: bigint;
  invoiceFeesMsat: bigint;
  rebalanceFeesMsat: bigint;
  pushedOutMsat: bigint;
  leaseFeesPaidMsat: bigint;
  onchainFeesMsat: bigint;
  anchorsPaidMsat: bigint;
}

export interface NodeCounts {
  invoicesReceived: number;
  invoicePartsReceived: number;
  invoicesPaid: number;
  invoicePartsPaid: number;
  orgInvoices: number;
  forwards: number;
  rebalances: number;
  channelsOpened: number;
  mutualCloses: number;
  unilateralCloses: number;
  depositsFromOutside: number;
  sendsToOutside: number;
  transfersOut: number;
  snapshots: number;
}

function zeroFlows(): NodeFlows {
  return {
    depositsFromOutsideMsat: 0n,
    transfersInMsat: 0n,
    invoiceIncomeMsat: 0n,
    routingFeesEarnedMsat: 0n,
    pushedInMsat: 0n,
    leaseFeesEarnedMsat: 0n,
    anchorsReceivedMsat: 0n,
    sendsToOutsideMsat: 0n,
    transfersOutMsat: 0n,
    invoiceExpenseMsat: 0n,
    invoiceFeesMsat: 0n,
    rebalanceFeesMsat: 0n,
    pushedOutMsat: 0n,
    leaseFeesPaidMsat: 0n,
    onchainFeesMsat: 0n,
    anchorsPaidMsat: 0n,
  };
}

function zeroCounts(): NodeCounts {
  return {
    invoicesReceived: 0,
    invoicePartsReceived: 0,
    invoicesPaid: 0,
    invoicePartsPaid: 0,
    orgInvoices: 0,
    forwards: 0,
    rebalances: 0,
    channelsOpened: 0,
    mutualCloses: 0,
    unilateralCloses: 0,
    depositsFromOutside: 0,
    sendsToOutside: 0,
    transfersOut: 0,
    snapshots: 0,
  };
}

export class OrgNode {
  readonly wallet = new CoinPool();
  /** Our own anchor outputs of unilateral closes: booked on `wallet` tagged `ignored`, never spent. */
  walletAnchorsMsat = 0n;
  walletSeen = false;
  /** Open channels this node is a side of. */
  readonly channels: Channel[] = [];
  /** Channel accounts of closed channels, in the order they were opened (their balance is 0). */
  readonly closedChannelIds: string[] = [];
  readonly thirdPartyWallets: ThirdPartyWallet[] = [];
  readonly flows: NodeFlows = zeroFlows();
  readonly counts: NodeCounts = zeroCounts();

  constructor(
    readonly id: string,
    readonly index: number,
    readonly label: string,
    readonly format: NotificationFormat,
  ) {}
}

export type Party = { readonly kind: 'org'; readonly node: OrgNode } | { readonly kind: 'external'; readonly peerId: string };

export function partyId(p: Party): string {
  return p.kind === 'org' ? p.node.id : p.peerId;
}

export type Side = 0 | 1;

/** A channel between two parties; side 0 opened it (and pays its on-chain fees). */
export interface Channel {
  readonly id: string;
  readonly fundingTxid: string;
  readonly fundingVout: number;
  readonly capacityMsat: bigint;
  readonly anchors: boolean;
  readonly leased: boolean;
  readonly sides: readonly [Party, Party];
  /** msat owned by each side; always sums to the capacity. */
  readonly balances: [bigint, bigint];
  open: boolean;
}

export function sideOf(channel: Channel, node: OrgNode): Side {
  const [a, b] = channel.sides;
  if (a.kind === 'org' && a.node === node) return 0;
  if (b.kind === 'org' && b.node === node) return 1;
  throw new Error(`node ${node.label} is not a side of channel ${channel.id}`);
}

export function other(side: Side): Side {
  return side === 0 ? 1 : 0;
}

/** What each side must keep in a channel (BOLT 2 reserve, 1%); it cannot be sent away. */
export function reserveMsat(channel: Channel): bigint {
  return channel.capacityMsat / 100n;
}

/** How much side `side` can still send over the channel. */
export function sendableMsat(channel: Channel, side: Side): bigint {
  const free = channel.balances[side] - reserveMsat(channel);
  return free > 0n ? free : 0n;
}

/** A notification waiting to be sent, with the node it belongs to and an optional description. */
export interface Emission {
  readonly record: SimRecord;
  readonly node: OrgNode;
  readonly note?: string;
}

/** Notifications sent together at one time; `apply` updates the model when they are sent. */
interface Batch {
  readonly time: number;
  readonly seq: number;
  readonly emissions: Emission[];
  readonly apply?: () => void;
}

export interface WorldConfig {
  readonly ids: IdSource;
  /** Draws that do not depend on the driver (vout order, fee rates). */
  readonly rng: Rng;
  readonly coinType: string;
  /** Unix seconds at which block `startHeight` was found. */
  readonly startTime: number;
  readonly startHeight: number;
  /** Attach human-readable descriptions to emissions (demo). */
  readonly notes: boolean;
}

const BLOCK_SECONDS = 600;
const TO_SELF_DELAY_BLOCKS = 144;

export interface PaymentPart {
  readonly channel: Channel;
  readonly amountMsat: bigint;
  /** Routing fees paid for this part (paid invoices only). */
  readonly feeMsat?: bigint;
}

export interface OpenChannelSpec {
  /** Side 0: the opener. */
  readonly opener: Party;
  readonly accepter: Party;
  /** Satoshis each side puts into the funding output (the accepter's only with dual funding, e.g. a lease). */
  readonly openerFundingSat: bigint;
  readonly accepterFundingSat?: bigint;
  /** msat the opener gives the accepter at open: a push, or the lease fee when `leased`. */
  readonly pushMsat?: bigint;
  readonly leased?: boolean;
  readonly anchors: boolean;
  readonly feerateSatPerVbyte: bigint;
  readonly note?: string;
}

export type TransferEnd =
  | { readonly kind: 'wallet'; readonly node: OrgNode }
  | { readonly kind: 'third_party'; readonly node: OrgNode; readonly wallet: ThirdPartyWallet };

interface CoinSelection {
  readonly inputs: Utxo[];
  readonly feeMsat: bigint;
  readonly changeMsat: bigint;
}

/** Virtual size of a simple segwit transaction, for fees. */
function vbytes(inputs: number, outputs: number): bigint {
  return BigInt(11 + 68 * inputs + 31 * outputs);
}

export class World {
  readonly nodes: OrgNode[] = [];
  /** Invoices one node of the organization paid to another. */
  internalInvoicesMsat = 0n;
  /** Seconds; actions happen "now". */
  now: number;
  private readonly queue = new MinHeap<Batch>();
  private batchSeq = 0;

  constructor(readonly config: WorldConfig) {
    this.now = config.startTime;
  }

  get ids(): IdSource {
    return this.config.ids;
  }

  addNode(id: string, label: string, format: NotificationFormat): OrgNode {
    const node = new OrgNode(id, this.nodes.length, label, format);
    this.nodes.push(node);
    return node;
  }

  heightAt(time: number): number {
    return this.config.startHeight + Math.floor((time - this.config.startTime) / BLOCK_SECONDS);
  }

  /** A time inside the block `blocks` after the current one. */
  timeInBlocksFromNow(blocks: number): number {
    const height = this.heightAt(this.now) + blocks;
    const blockStart = this.config.startTime + (height - this.config.startHeight) * BLOCK_SECONDS;
    return blockStart + this.config.rng.int(1, 120);
  }

  // ---------------------------------------------------------------------------------------
  // The queue of notifications

  get pendingBatches(): number {
    return this.queue.size;
  }

  /** Time of the next batch to send, if any. */
  nextBatchTime(): number | undefined {
    return this.queue.peek()?.time;
  }

  /** Sends the next batch: applies its model change and returns its notifications. */
  popBatch(): Emission[] | undefined {
    const batch = this.queue.pop();
    if (batch === undefined) return undefined;
    batch.apply?.();
    return batch.emissions;
  }

  private schedule(time: number, emissions: Emission[], apply?: () => void): void {
    if (emissions.length === 0 && apply === undefined) return;
    this.queue.push({ time, seq: this.batchSeq++, emissions, apply });
  }

  private note(base: string | undefined, role: string): string | undefined {
    if (!this.config.notes) return undefined;
    return base === undefined ? role : `${base}: ${role}`;
  }

  private chain(node: OrgNode, fields: Omit<ChainRecord, 'kind' | 'nodeId' | 'coinType'>): ChainRecord {
    return { kind: 'chain', nodeId: node.id, coinType: this.config.coinType, ...fields };
  }

  private channelMvt(node: OrgNode, fields: Omit<ChannelRecord, 'kind' | 'nodeId' | 'coinType'>): ChannelRecord {
    return { kind: 'channel', nodeId: node.id, coinType: this.config.coinType, ...fields };
  }

  // ---------------------------------------------------------------------------------------
  // Coins

  /**
   * Picks coins for `amountMsat` plus the fee; consolidates when the wallet holds many small
   * coins. The change output is dropped (its value goes to the fee) when it would be dust.
   */
  private selectCoins(pool: CoinPool, amountMsat: bigint, otherOutputs: number, feerate: bigint): CoinSelection | null {
    const sorted = [...pool.spendable].sort((a, b) => (a.amountMsat > b.amountMsat ? -1 : a.amountMsat < b.amountMsat ? 1 : 0));
    const inputs: Utxo[] = [];
    let sum = 0n;
    // Consolidate: when there are many coins, also spend a few of the smallest.
    if (sorted.length > 12) {
      for (let i = 0; i < 4; i++) {
        const small = sorted.pop();
        if (small) {
          inputs.push(small);
          sum += small.amountMsat;
        }
      }
    }
    for (;;) {
      const feeMsat = vbytes(inputs.length, otherOutputs + 1) * feerate * MSAT_PER_SAT;
      if (inputs.length > 0 && sum >= amountMsat + feeMsat) {
        const changeMsat = sum - amountMsat - feeMsat;
        if (changeMsat < DUST_LIMIT_SAT * MSAT_PER_SAT) return { inputs, feeMsat: feeMsat + changeMsat, changeMsat: 0n };
        return { inputs, feeMsat, changeMsat };
      }
      const next = sorted.shift();
      if (next === undefined) return null;
      inputs.push(next);
      sum += next.amountMsat;
    }
  }

  private static remove(list: Utxo[], utxos: readonly Utxo[]): void {
    for (const u of utxos) {
      const i = list.indexOf(u);
      if (i < 0) throw new Error(`coin ${u.txid}:${u.vout} is not in the pool`);
      list.splice(i, 1);
    }
  }

  /** Output indexes for `count` outputs of a new transaction, in a random order. */
  private vouts(count: number): number[] {
    const order = Array.from({ length: count }, (_, i) => i);
    return this.config.rng.shuffle(order);
  }

  // ---------------------------------------------------------------------------------------
  // Actions. Each returns false, changing nothing, when it is not possible right now.

  /** Coins from outside the organization arrive in the node's wallet (confirmed). */
  depositFromOutside(node: OrgNode, amountSat: bigint, note?: string): boolean {
    if (amountSat < DUST_LIMIT_SAT) return false;
    const amountMsat = amountSat * MSAT_PER_SAT;
    const utxo: Utxo = { txid: this.ids.txid('deposit'), vout: this.config.rng.int(0, 3), amountMsat };
    const height = this.heightAt(this.now);
    node.wallet.spendable.push(utxo);
    node.walletSeen = true;
    node.flows.depositsFromOutsideMsat += amountMsat;
    node.counts.depositsFromOutside++;
    this.schedule(this.now, [
      {
        node,
        note: this.note(note, 'wallet deposit from outside'),
        record: this.chain(node, {
          account: 'wallet',
          txid: utxo.txid,
          vout: utxo.vout,
          creditMsat: amountMsat,
          debitMsat: 0n,
          outputMsat: amountMsat,
          tags: ['deposit'],
          blockheight: height,
          timestamp: this.now,
        }),
      },
    ]);
    return true;
  }

  /** Coins from outside arrive in a 3rd-party wallet (`utxo_deposit`, `transfer_from: null`). */
  thirdPartyDepositFromOutside(node: OrgNode, wallet: ThirdPartyWallet, amountSat: bigint, note?: string): boolean {
    if (amountSat < DUST_LIMIT_SAT) return false;
    const amountMsat = amountSat * MSAT_PER_SAT;
    const utxo: Utxo = { txid: this.ids.txid('deposit'), vout: this.config.rng.int(0, 3), amountMsat };
    wallet.coins.spendable.push(utxo);
    wallet.seen = true;
    node.flows.depositsFromOutsideMsat += amountMsat;
    node.counts.depositsFromOutside++;
    this.schedule(this.now, [
      {
        node,
        note: this.note(note, `${wallet.name}: deposit from outside`),
        record: {
          kind: 'utxo_deposit',
          nodeId: node.id,
          account: wallet.name,
          transferFrom: null,
          txid: utxo.txid,
          vout: utxo.vout,
          amountMsat,
          coinType: this.config.coinType,
          timestamp: this.now,
          blockheight: this.heightAt(this.now),
        },
      },
    ]);
    return true;
  }

  /**
   * A channel is funded and locked in. lightningd reports, at the block that confirms the
   * funding tx: the wallet's change, the wallet's spent coins, `channel_open` (credit = what
   * this side put in, output = capacity, `opener`/`leased` tags, peer id), then the push or
   * lease fee (debit for the opener, credit for the accepter).
   */
  openChannel(spec: OpenChannelSpec): Channel | null {
    const fundings: [bigint, bigint] = [spec.openerFundingSat * MSAT_PER_SAT, (spec.accepterFundingSat ?? 0n) * MSAT_PER_SAT];
    const pushMsat = spec.pushMsat ?? 0n;
    const leased = spec.leased ?? false;
    const capacityMsat = fundings[0] + fundings[1];
    if (capacityMsat <= 0n || pushMsat > fundings[0]) return null;
    if (spec.opener.kind === 'external' && spec.accepter.kind === 'external') throw new Error('openChannel: no side is ours');
    const parties: [Party, Party] = [spec.opener, spec.accepter];
    if (parties[0].kind === 'org' && parties[1].kind === 'org' && parties[0].node === parties[1].node) {
      throw new Error('openChannel: a node cannot open a channel to itself');
    }
    // Each of our contributing sides funds its own share (and its fee) from its wallet.
    const selections: (CoinSelection | null)[] = [null, null];
    for (const side of [0, 1] as const) {
      const party = parties[side];
      if (party.kind !== 'org' || fundings[side] === 0n) continue;
      const selection = this.selectCoins(party.node.wallet, fundings[side], 1, spec.feerateSatPerVbyte);
      if (selection === null) return null;
      selections[side] = selection;
    }
    const fundingTxid = this.ids.txid('funding');
    // Outputs: the funding output, then each contributor's change (the peer's too, unseen by us).
    const outputCount = 1 + (fundings[1] > 0n ? 2 : 1);
    const vouts = this.vouts(outputCount);
    const channel: Channel = {
      id: this.ids.channelId(),
      fundingTxid,
      fundingVout: vouts[0]!,
      capacityMsat,
      anchors: spec.anchors,
      leased,
      sides: parties,
      balances: [fundings[0] - pushMsat, fundings[1] + pushMsat],
      open: true,
    };
    const height = this.heightAt(this.now);
    const emissions: Emission[] = [];
    for (const side of [0, 1] as const) {
      const party = parties[side];
      if (party.kind !== 'org') continue;
      const node = party.node;
      const selection = selections[side];
      if (selection) {
        const changeVout = vouts[1 + side]!;
        World.remove(node.wallet.spendable, selection.inputs);
        if (selection.changeMsat > 0n) {
          node.wallet.spendable.push({ txid: fundingTxid, vout: changeVout, amountMsat: selection.changeMsat });
          emissions.push({
            node,
            note: this.note(spec.note, 'wallet change of the funding tx'),
            record: this.chain(node, {
              account: 'wallet',
              txid: fundingTxid,
              vout: changeVout,
              creditMsat: selection.changeMsat,
              debitMsat: 0n,
              outputMsat: selection.changeMsat,
              tags: ['deposit'],
              blockheight: height,
              timestamp: this.now,
            }),
          });
        }
        for (const input of selection.inputs) {
          emissions.push({
            node,
            note: this.note(spec.note, 'wallet coin spent into the funding tx'),
            record: this.chain(node, {
              account: 'wallet',
              spendingTxid: fundingTxid,
              txid: input.txid,
              vout: input.vout,
              creditMsat: 0n,
              debitMsat: input.amountMsat,
              outputMsat: input.amountMsat,
              tags: ['withdrawal'],
              blockheight: height,
              timestamp: this.now,
            }),
          });
        }
        node.flows.onchainFeesMsat += selection.feeMsat;
        node.walletSeen = true;
      }
      const tags = ['channel_open'];
      if (side === 0) tags.push('opener');
      if (leased) tags.push('leased');
      emissions.push({
        node,
        note: this.note(spec.note, side === 0 ? 'channel_open (we opened)' : 'channel_open (the peer opened)'),
        record: this.chain(node, {
          account: channel.id,
          peerId: partyId(parties[other(side)]),
          txid: fundingTxid,
          vout: channel.fundingVout,
          creditMsat: fundings[side],
          debitMsat: 0n,
          outputMsat: capacityMsat,
          tags,
          blockheight: height,
          timestamp: this.now,
        }),
      });
      if (pushMsat > 0n) {
        emissions.push({
          node,
          note: this.note(spec.note, leased ? 'lease fee' : 'push at open'),
          record: this.channelMvt(node, {
            account: channel.id,
            creditMsat: side === 1 ? pushMsat : 0n,
            debitMsat: side === 0 ? pushMsat : 0n,
            feesMsat: 0n,
            tags: [leased ? 'lease_fee' : 'pushed'],
            timestamp: this.now,
          }),
        });
        if (leased) {
          if (side === 0) node.flows.leaseFeesPaidMsat += pushMsat;
          else node.flows.leaseFeesEarnedMsat += pushMsat;
        } else if (side === 0) node.flows.pushedOutMsat += pushMsat;
        else node.flows.pushedInMsat += pushMsat;
      }
      node.channels.push(channel);
      node.counts.channelsOpened++;
    }
    this.schedule(this.now, emissions);
    return channel;
  }

  /** An invoice of `node` paid from outside, in parts over the given channels (one `invoice` credit each, no part_id). */
  receiveInvoice(node: OrgNode, parts: readonly PaymentPart[], note?: string): boolean {
    if (parts.length === 0) return false;
    for (const part of parts) {
      const side = sideOf(part.channel, node);
      if (!part.channel.open || part.channel.sides[other(side)].kind !== 'external') return false;
      if (part.amountMsat <= 0n || part.amountMsat > sendableMsat(part.channel, other(side))) return false;
    }
    if (new Set(parts.map((p) => p.channel)).size !== parts.length) return false;
    const paymentHash = this.ids.paymentHash();
    const emissions: Emission[] = [];
    for (const part of parts) {
      const side = sideOf(part.channel, node);
      this.move(part.channel, other(side), part.amountMsat);
      node.flows.invoiceIncomeMsat += part.amountMsat;
      node.counts.invoicePartsReceived++;
      emissions.push({
        node,
        note: this.note(note, 'invoice paid to us'),
        record: this.channelMvt(node, {
          account: part.channel.id,
          paymentHash,
          creditMsat: part.amountMsat,
          debitMsat: 0n,
          feesMsat: 0n,
          tags: ['invoice'],
          timestamp: this.now,
        }),
      });
    }
    node.counts.invoicesReceived++;
    this.schedule(this.now, emissions);
    return true;
  }

  /**
   * `node` pays an invoice outside the organization: one `invoice` debit per part (amount +
   * routing fees, `fees_msat`, `part_id` 0 for a single part, 1… for a multi-part payment).
   */
  payInvoice(node: OrgNode, parts: readonly PaymentPart[], note?: string): boolean {
    if (parts.length === 0) return false;
    const needed = new Map<Channel, bigint>();
    for (const part of parts) {
      const side = sideOf(part.channel, node);
      if (!part.channel.open || part.channel.sides[other(side)].kind !== 'external' || part.amountMsat <= 0n) return false;
      needed.set(part.channel, (needed.get(part.channel) ?? 0n) + part.amountMsat + (part.feeMsat ?? 0n));
    }
    for (const [channel, total] of needed) if (total > sendableMsat(channel, sideOf(channel, node))) return false;
    const paymentHash = this.ids.paymentHash();
    const emissions: Emission[] = [];
    parts.forEach((part, i) => {
      const fee = part.feeMsat ?? 0n;
      const side = sideOf(part.channel, node);
      this.move(part.channel, side, part.amountMsat + fee);
      node.flows.invoiceExpenseMsat += part.amountMsat;
      node.flows.invoiceFeesMsat += fee;
      node.counts.invoicePartsPaid++;
      emissions.push({
        node,
        note: this.note(note, parts.length > 1 ? `invoice we paid, part ${i + 1} of ${parts.length}` : 'invoice we paid'),
        record: this.channelMvt(node, {
          account: part.channel.id,
          paymentHash,
          partId: parts.length > 1 ? i + 1 : 0,
          creditMsat: 0n,
          debitMsat: part.amountMsat + fee,
          feesMsat: fee,
          tags: ['invoice'],
          timestamp: this.now,
        }),
      });
    });
    node.counts.invoicesPaid++;
    this.schedule(this.now, emissions);
    return true;
  }

  /**
   * One node of the organization pays another's invoice over their direct channel: an
   * `invoice` debit (part_id 0, no fees) on the payer, an `invoice` credit on the payee.
   */
  payOrgInvoice(channel: Channel, payerSide: Side, amountMsat: bigint, note?: string): boolean {
    const payer = channel.sides[payerSide];
    const payee = channel.sides[other(payerSide)];
    if (!channel.open || payer.kind !== 'org' || payee.kind !== 'org') return false;
    if (amountMsat <= 0n || amountMsat > sendableMsat(channel, payerSide)) return false;
    const paymentHash = this.ids.paymentHash();
    this.move(channel, payerSide, amountMsat);
    payer.node.flows.invoiceExpenseMsat += amountMsat;
    payee.node.flows.invoiceIncomeMsat += amountMsat;
    payer.node.counts.orgInvoices++;
    this.internalInvoicesMsat += amountMsat;
    this.schedule(this.now, [
      {
        node: payer.node,
        note: this.note(note, `paid an invoice of ${payee.node.label}`),
        record: this.channelMvt(payer.node, {
          account: channel.id,
          paymentHash,
          partId: 0,
          creditMsat: 0n,
          debitMsat: amountMsat,
          feesMsat: 0n,
          tags: ['invoice'],
          timestamp: this.now,
        }),
      },
      {
        node: payee.node,
        note: this.note(note, `invoice paid by ${payer.node.label}`),
        record: this.channelMvt(payee.node, {
          account: channel.id,
          paymentHash,
          creditMsat: amountMsat,
          debitMsat: 0n,
          feesMsat: 0n,
          tags: ['invoice'],
          timestamp: this.now,
        }),
      },
    ]);
    return true;
  }

  /**
   * Which side of each channel is `node`'s, when a payment may go in through `incoming` and out
   * through `outgoing`: two different open channels, both to peers outside the organization.
   */
  private routeSides(node: OrgNode, incoming: Channel, outgoing: Channel, amountMsat: bigint, feeMsat: bigint): { inSide: Side; outSide: Side } | null {
    if (incoming === outgoing || !incoming.open || !outgoing.open || amountMsat <= 0n || feeMsat < 0n) return null;
    const inSide = sideOf(incoming, node);
    const outSide = sideOf(outgoing, node);
    if (incoming.sides[other(inSide)].kind !== 'external' || outgoing.sides[other(outSide)].kind !== 'external') return null;
    return { inSide, outSide };
  }

  /**
   * `node` forwards a payment: `routed` debit of `amount` on the outgoing channel and `routed`
   * credit of `amount + fee` on the incoming one, both carrying `fees_msat` = fee and the same
   * payment hash (as in the golden case: the outgoing leg first).
   */
  forward(node: OrgNode, incoming: Channel, outgoing: Channel, amountMsat: bigint, feeMsat: bigint, note?: string): boolean {
    const sides = this.routeSides(node, incoming, outgoing, amountMsat, feeMsat);
    if (!sides) return false;
    const { inSide, outSide } = sides;
    if (amountMsat + feeMsat > sendableMsat(incoming, other(inSide)) || amountMsat > sendableMsat(outgoing, outSide)) return false;
    const paymentHash = this.ids.paymentHash();
    this.move(incoming, other(inSide), amountMsat + feeMsat);
    this.move(outgoing, outSide, amountMsat);
    node.flows.routingFeesEarnedMsat += feeMsat;
    node.counts.forwards++;
    this.schedule(this.now, [
      {
        node,
        note: this.note(note, 'forwarded: outgoing leg'),
        record: this.channelMvt(node, {
          account: outgoing.id,
          paymentHash,
          creditMsat: 0n,
          debitMsat: amountMsat,
          feesMsat: feeMsat,
          tags: ['routed'],
          timestamp: this.now,
        }),
      },
      {
        node,
        note: this.note(note, 'forwarded: incoming leg'),
        record: this.channelMvt(node, {
          account: incoming.id,
          paymentHash,
          creditMsat: amountMsat + feeMsat,
          debitMsat: 0n,
          feesMsat: feeMsat,
          tags: ['routed'],
          timestamp: this.now,
        }),
      },
    ]);
    return true;
  }

  /**
   * A circular rebalance: `node` pays its own invoice out through `outgoing`, around the
   * network, back in through `incoming`. CLN sends the credit first, then the debit of
   * amount + fees (`part_id` 0), same payment hash.
   */
  rebalance(node: OrgNode, outgoing: Channel, incoming: Channel, amountMsat: bigint, feeMsat: bigint, note?: string): boolean {
    const sides = this.routeSides(node, incoming, outgoing, amountMsat, feeMsat);
    if (!sides) return false;
    const { inSide, outSide } = sides;
    if (amountMsat + feeMsat > sendableMsat(outgoing, outSide) || amountMsat > sendableMsat(incoming, other(inSide))) return false;
    const paymentHash = this.ids.paymentHash();
    this.move(outgoing, outSide, amountMsat + feeMsat);
    this.move(incoming, other(inSide), amountMsat);
    node.flows.rebalanceFeesMsat += feeMsat;
    node.counts.rebalances++;
    this.schedule(this.now, [
      {
        node,
        note: this.note(note, 'rebalance: paid back to us'),
        record: this.channelMvt(node, {
          account: incoming.id,
          paymentHash,
          creditMsat: amountMsat,
          debitMsat: 0n,
          feesMsat: 0n,
          tags: ['invoice'],
          timestamp: this.now,
        }),
      },
      {
        node,
        note: this.note(note, 'rebalance: paid out'),
        record: this.channelMvt(node, {
          account: outgoing.id,
          paymentHash,
          partId: 0,
          creditMsat: 0n,
          debitMsat: amountMsat + feeMsat,
          feesMsat: feeMsat,
          tags: ['invoice'],
          timestamp: this.now,
        }),
      },
    ]);
    return true;
  }

  /** Moves `amountMsat` from side `from` to the other side of the channel. */
  private move(channel: Channel, from: Side, amountMsat: bigint): void {
    const to = other(from);
    if (channel.balances[from] < amountMsat) throw new Error(`channel ${channel.id}: side ${from} would go negative`);
    channel.balances[from] -= amountMsat;
    channel.balances[to] += amountMsat;
  }

  /**
   * Coins leave an account of ours for outside the organization, or for another account of
   * ours (`to`). At broadcast, the sender reports the destination as an `external` deposit
   * with blockheight 0 (lightningd: `originating_account: "wallet"`; a 3rd-party wallet:
   * `utxo_deposit` to `external` with `transfer_from`). When it confirms: the sender's change
   * and spent coins, and the receiver's deposit.
   */
  sendOnchain(from: TransferEnd, amountSat: bigint, feerate: bigint, to: TransferEnd | null, note?: string): boolean {
    if (amountSat < DUST_LIMIT_SAT) return false;
    if (to !== null && sameEnd(from, to)) return false;
    const amountMsat = amountSat * MSAT_PER_SAT;
    const pool = from.kind === 'wallet' ? from.node.wallet : from.wallet.coins;
    const selection = this.selectCoins(pool, amountMsat, 1, feerate);
    if (selection === null) return false;
    const txid = this.ids.txid(to === null ? 'send' : 'transfer');
    const [destVout, changeVout] = this.vouts(2) as [number, number];
    const sender = from.node;
    const broadcastHeight = 0;
    // Reserve the inputs now: the node still counts them until the spend confirms.
    World.remove(pool.spendable, selection.inputs);
    pool.reserved.push(...selection.inputs);
    sender.flows.onchainFeesMsat += selection.feeMsat;
    if (to === null) {
      sender.flows.sendsToOutsideMsat += amountMsat;
      sender.counts.sendsToOutside++;
    } else {
      sender.flows.transfersOutMsat += amountMsat;
      to.node.flows.transfersInMsat += amountMsat;
      sender.counts.transfersOut++;
    }
    const what = to === null ? 'send to outside' : `transfer to ${endName(to)}`;
    const broadcast: Emission =
      from.kind === 'wallet'
        ? {
            node: sender,
            note: this.note(note, `${what}: broadcast (external output, unconfirmed)`),
            record: this.chain(sender, {
              account: 'external',
              originAccount: 'wallet',
              txid,
              vout: destVout,
              creditMsat: amountMsat,
              debitMsat: 0n,
              outputMsat: amountMsat,
              tags: ['deposit'],
              blockheight: broadcastHeight,
              timestamp: this.now,
            }),
          }
        : {
            node: sender,
            note: this.note(note, `${what}: broadcast by ${from.wallet.name} (external output, unconfirmed)`),
            record: {
              kind: 'utxo_deposit',
              nodeId: sender.id,
              account: 'external',
              transferFrom: from.wallet.name,
              txid,
              vout: destVout,
              amountMsat,
              coinType: this.config.coinType,
              timestamp: this.now,
              blockheight: broadcastHeight,
            },
          };
    this.schedule(this.now, [broadcast]);

    const confirmTime = this.timeInBlocksFromNow(this.config.rng.int(1, 3));
    const confirmHeight = this.heightAt(confirmTime);
    const change: Utxo | null = selection.changeMsat > 0n ? { txid, vout: changeVout, amountMsat: selection.changeMsat } : null;
    const received: Utxo = { txid, vout: destVout, amountMsat };
    const emissions: Emission[] = [];
    if (from.kind === 'wallet') {
      if (change) emissions.push(this.walletDeposit(sender, change, confirmHeight, confirmTime, this.note(note, `${what}: wallet change`)));
      for (const input of selection.inputs) {
        emissions.push({
          node: sender,
          note: this.note(note, `${what}: wallet coin spent`),
          record: this.chain(sender, {
            account: 'wallet',
            spendingTxid: txid,
            txid: input.txid,
            vout: input.vout,
            creditMsat: 0n,
            debitMsat: input.amountMsat,
            outputMsat: input.amountMsat,
            tags: ['withdrawal'],
            blockheight: confirmHeight,
            timestamp: confirmTime,
          }),
        });
      }
    } else {
      for (const input of selection.inputs) {
        emissions.push({
          node: sender,
          note: this.note(note, `${what}: ${from.wallet.name} coin spent`),
          record: {
            kind: 'utxo_spend',
            nodeId: sender.id,
            account: from.wallet.name,
            txid: input.txid,
            vout: input.vout,
            spendingTxid: txid,
            amountMsat: input.amountMsat,
            coinType: this.config.coinType,
            timestamp: confirmTime,
            blockheight: confirmHeight,
          },
        });
      }
      if (change) emissions.push(this.thirdPartyDeposit(sender, from.wallet, change, confirmHeight, confirmTime, this.note(note, `${what}: ${from.wallet.name} change`)));
    }
    if (to !== null) {
      const receivedNote = this.note(note, `received from ${endName(from)}`);
      emissions.push(
        to.kind === 'wallet'
          ? this.walletDeposit(to.node, received, confirmHeight, confirmTime, receivedNote)
          : this.thirdPartyDeposit(to.node, to.wallet, received, confirmHeight, confirmTime, receivedNote),
      );
    }
    this.schedule(confirmTime, emissions, () => {
      World.remove(pool.reserved, selection.inputs);
      if (change) pool.spendable.push(change);
      if (to !== null) {
        if (to.kind === 'wallet') {
          to.node.wallet.spendable.push(received);
          to.node.walletSeen = true;
        } else {
          to.wallet.coins.spendable.push(received);
          to.wallet.seen = true;
        }
      }
    });
    if (from.kind === 'third_party') from.wallet.seen = true;
    return true;
  }

  private walletDeposit(node: OrgNode, utxo: Utxo, height: number, time: number, note: string | undefined, originAccount?: string): Emission {
    return {
      node,
      note,
      record: this.chain(node, {
        account: 'wallet',
        ...(originAccount === undefined ? {} : { originAccount }),
        txid: utxo.txid,
        vout: utxo.vout,
        creditMsat: utxo.amountMsat,
        debitMsat: 0n,
        outputMsat: utxo.amountMsat,
        tags: ['deposit'],
        blockheight: height,
        timestamp: time,
      }),
    };
  }

  private thirdPartyDeposit(node: OrgNode, wallet: ThirdPartyWallet, utxo: Utxo, height: number, time: number, note: string | undefined): Emission {
    return {
      node,
      note,
      record: {
        kind: 'utxo_deposit',
        nodeId: node.id,
        account: wallet.name,
        transferFrom: null,
        txid: utxo.txid,
        vout: utxo.vout,
        amountMsat: utxo.amountMsat,
        coinType: this.config.coinType,
        timestamp: time,
        blockheight: height,
      },
    };
  }

  /**
   * A cooperative close confirmed. The opener pays the closing fee; each side's output is its
   * balance rounded down to whole satoshis (sub-satoshi remainders and dust go to the miner).
   * Each of our sides reports: its wallet output (`deposit`, no origin), `channel_close`
   * (debit = its whole balance, `output_count`), and the other side's output as `external`
   * `to_them` (origin = the channel, as lightningd's onchaind does).
   */
  mutualClose(channel: Channel, feeSat: bigint, note?: string): boolean {
    if (!channel.open) return false;
    const outs: [bigint, bigint] = [channel.balances[0] / MSAT_PER_SAT - feeSat, channel.balances[1] / MSAT_PER_SAT];
    if (outs[0] < 0n) return false;
    for (const side of [0, 1] as const) if (outs[side] < DUST_LIMIT_SAT) outs[side] = 0n;
    const present = ([0, 1] as const).filter((s) => outs[s] > 0n);
    if (present.length === 0) return false;
    const txid = this.ids.txid('close');
    const vouts = this.vouts(present.length);
    const voutOf: [number, number] = [-1, -1];
    present.forEach((s, i) => (voutOf[s] = vouts[i]!));
    const height = this.heightAt(this.now);
    const emissions: Emission[] = [];
    for (const side of [0, 1] as const) {
      const party = channel.sides[side];
      if (party.kind !== 'org') continue;
      const node = party.node;
      const them = other(side);
      const ourOutMsat = outs[side] * MSAT_PER_SAT;
      if (outs[side] > 0n) {
        const utxo: Utxo = { txid, vout: voutOf[side], amountMsat: ourOutMsat };
        node.wallet.spendable.push(utxo);
        node.walletSeen = true;
        emissions.push(this.walletDeposit(node, utxo, height, this.now, this.note(note, 'our output of the mutual close')));
      }
      emissions.push(this.closeEvent(node, channel, side, txid, present.length, height, this.note(note, 'channel_close (mutual)')));
      if (outs[them] > 0n) {
        emissions.push(this.externalOutput(node, channel, txid, voutOf[them], outs[them] * MSAT_PER_SAT, 'to_them', height, this.note(note, "the peer's output")));
      }
      node.flows.onchainFeesMsat += channel.balances[side] - ourOutMsat;
      node.counts.mutualCloses++;
      this.retire(node, channel);
    }
    channel.open = false;
    this.schedule(this.now, emissions);
    return true;
  }

  /**
   * A unilateral close by side `closer` (ours: "our unilateral"; the peer's: "their
   * unilateral"). The commitment tx has each side's main output (the opener pays the
   * commitment fee and, on anchor channels, both 330 sat anchors), plus an anchor per side
   * with an output. Our own anchor is booked on `wallet` as `["anchor","ignored"]`, the
   * other's as `external` `anchor`. The closer's own output is delayed: `delayed_to_us`,
   * `to_wallet` and the wallet deposit of the sweep come `to_self_delay` blocks later. The
   * non-closer's output goes to its wallet at once (`deposit` with origin = the channel).
   */
  unilateralClose(channel: Channel, closer: Side, commitFeeSat: bigint, sweepFeeSat: bigint, note?: string): boolean {
    if (!channel.open) return false;
    const anchorsPaidSat = channel.anchors ? 2n * ANCHOR_SAT : 0n;
    const mains: [bigint, bigint] = [channel.balances[0] / MSAT_PER_SAT - commitFeeSat - anchorsPaidSat, channel.balances[1] / MSAT_PER_SAT];
    if (mains[0] < 0n) return false;
    for (const side of [0, 1] as const) if (mains[side] < DUST_LIMIT_SAT) mains[side] = 0n;
    // The closer's delayed output must be worth sweeping.
    if (mains[closer] - sweepFeeSat < DUST_LIMIT_SAT) return false;
    const anchorOf: [bigint, bigint] = [channel.anchors && mains[0] > 0n ? ANCHOR_SAT : 0n, channel.anchors && mains[1] > 0n ? ANCHOR_SAT : 0n];
    type Out = { readonly side: Side; readonly what: 'main' | 'anchor'; readonly sat: bigint; vout: number };
    const outputs: Out[] = [];
    for (const side of [0, 1] as const) {
      if (mains[side] > 0n) outputs.push({ side, what: 'main', sat: mains[side], vout: -1 });
      if (anchorOf[side] > 0n) outputs.push({ side, what: 'anchor', sat: anchorOf[side], vout: -1 });
    }
    const vouts = this.vouts(outputs.length);
    outputs.forEach((o, i) => (o.vout = vouts[i]!));
    outputs.sort((a, b) => a.vout - b.vout);
    const txid = this.ids.txid('commitment');
    const height = this.heightAt(this.now);
    const emissions: Emission[] = [];
    // The opener paid both anchors (and the fee); the value that reached an anchor of the other side moved to it.
    const spentOnAnchorsSat = anchorOf[0] + anchorOf[1];
    for (const side of [0, 1] as const) {
      const party = channel.sides[side];
      if (party.kind !== 'org') continue;
      const node = party.node;
      const closing = side === closer;
      emissions.push(this.closeEvent(node, channel, side, txid, outputs.length, height, this.note(note, closing ? 'channel_close (we force-closed)' : 'channel_close (the peer force-closed)')));
      for (const out of outputs) {
        const mine = out.side === side;
        const amountMsat = out.sat * MSAT_PER_SAT;
        if (out.what === 'anchor') {
          if (mine) {
            node.walletAnchorsMsat += amountMsat;
            node.walletSeen = true;
            emissions.push({
              node,
              note: this.note(note, 'our anchor (ignored)'),
              record: this.chain(node, {
                account: 'wallet',
                originAccount: channel.id,
                txid,
                vout: out.vout,
                creditMsat: amountMsat,
                debitMsat: 0n,
                outputMsat: amountMsat,
                tags: ['anchor', 'ignored'],
                blockheight: height,
                timestamp: this.now,
              }),
            });
          } else {
            emissions.push(this.externalOutput(node, channel, txid, out.vout, amountMsat, 'anchor', height, this.note(note, "the peer's anchor")));
          }
        } else if (!mine) {
          emissions.push(this.externalOutput(node, channel, txid, out.vout, amountMsat, 'to_them', height, this.note(note, "the peer's output")));
        } else if (!closing) {
          const utxo: Utxo = { txid, vout: out.vout, amountMsat };
          node.wallet.spendable.push(utxo);
          node.walletSeen = true;
          emissions.push(this.walletDeposit(node, utxo, height, this.now, this.note(note, 'our output, straight to the wallet'), channel.id));
        }
      }
      // What this side's balance turned into: its main output, its anchor, and (opener) the other's anchor and the fee.
      const mainMsat = mains[side] * MSAT_PER_SAT;
      if (side === 0) {
        node.flows.onchainFeesMsat += channel.balances[0] - mainMsat - spentOnAnchorsSat * MSAT_PER_SAT;
        node.flows.anchorsPaidMsat += anchorOf[1] * MSAT_PER_SAT;
      } else {
        node.flows.onchainFeesMsat += channel.balances[1] - mainMsat;
        node.flows.anchorsReceivedMsat += anchorOf[1] * MSAT_PER_SAT;
      }
      node.counts.unilateralCloses++;
      this.retire(node, channel);
    }
    channel.open = false;
    this.schedule(this.now, emissions);

    // The closer sweeps its delayed output once the CSV delay has passed.
    const closerParty = channel.sides[closer];
    if (closerParty.kind === 'org') {
      const node = closerParty.node;
      const delayed = outputs.find((o) => o.side === closer && o.what === 'main')!;
      const delayedMsat = delayed.sat * MSAT_PER_SAT;
      const sweepTime = this.timeInBlocksFromNow(TO_SELF_DELAY_BLOCKS);
      const sweepHeight = this.heightAt(sweepTime);
      const sweepTxid = this.ids.txid('sweep');
      const swept: Utxo = { txid: sweepTxid, vout: 0, amountMsat: (delayed.sat - sweepFeeSat) * MSAT_PER_SAT };
      node.flows.onchainFeesMsat += sweepFeeSat * MSAT_PER_SAT;
      this.schedule(
        sweepTime,
        [
          {
            node,
            note: this.note(note, 'our delayed output, now swept'),
            record: this.chain(node, {
              account: channel.id,
              txid,
              vout: delayed.vout,
              creditMsat: delayedMsat,
              debitMsat: 0n,
              outputMsat: delayedMsat,
              tags: ['delayed_to_us'],
              blockheight: height,
              timestamp: sweepTime,
            }),
          },
          {
            node,
            note: this.note(note, 'sweep of our delayed output'),
            record: this.chain(node, {
              account: channel.id,
              spendingTxid: sweepTxid,
              txid,
              vout: delayed.vout,
              creditMsat: 0n,
              debitMsat: delayedMsat,
              outputMsat: delayedMsat,
              tags: ['to_wallet'],
              blockheight: sweepHeight,
              timestamp: sweepTime,
            }),
          },
          this.walletDeposit(node, swept, sweepHeight, sweepTime, this.note(note, 'swept into the wallet')),
        ],
        () => node.wallet.spendable.push(swept),
      );
    }
    return true;
  }

  private closeEvent(node: OrgNode, channel: Channel, side: Side, closeTxid: string, outputCount: number, height: number, note: string | undefined): Emission {
    return {
      node,
      note,
      record: this.chain(node, {
        account: channel.id,
        spendingTxid: closeTxid,
        txid: channel.fundingTxid,
        vout: channel.fundingVout,
        creditMsat: 0n,
        debitMsat: channel.balances[side],
        outputMsat: channel.capacityMsat,
        outputCount,
        tags: ['channel_close'],
        blockheight: height,
        timestamp: this.now,
      }),
    };
  }

  private externalOutput(node: OrgNode, channel: Channel, txid: string, vout: number, amountMsat: bigint, tag: string, height: number, note: string | undefined): Emission {
    return {
      node,
      note,
      record: this.chain(node, {
        account: 'external',
        originAccount: channel.id,
        txid,
        vout,
        creditMsat: amountMsat,
        debitMsat: 0n,
        outputMsat: amountMsat,
        tags: [tag],
        blockheight: height,
        timestamp: this.now,
      }),
    };
  }

  private retire(node: OrgNode, channel: Channel): void {
    const i = node.channels.indexOf(channel);
    if (i < 0) throw new Error(`channel ${channel.id} is not open on ${node.label}`);
    node.channels.splice(i, 1);
    node.closedChannelIds.push(channel.id);
  }

  /**
   * lightningd's `balance_snapshot`: the wallet's confirmed unspent coins (coins spent by an
   * unconfirmed tx still count; anchors do not) and every open channel's balance.
   */
  snapshot(node: OrgNode, note?: string): boolean {
    const accounts = [{ account: 'wallet', balanceMsat: node.wallet.totalMsat(), coinType: this.config.coinType }];
    for (const channel of node.channels) {
      accounts.push({ account: channel.id, balanceMsat: channel.balances[sideOf(channel, node)], coinType: this.config.coinType });
    }
    node.counts.snapshots++;
    this.schedule(this.now, [
      {
        node,
        note: this.note(note, 'balance snapshot (matches)'),
        record: { kind: 'snapshot', nodeId: node.id, blockheight: this.heightAt(this.now), timestamp: this.now, accounts },
      },
    ]);
    return true;
  }
}

/** Whether two transfer ends are the same account. */
export function sameEnd(a: TransferEnd, b: TransferEnd): boolean {
  if (a.node !== b.node) return false;
  if (a.kind === 'wallet' || b.kind === 'wallet') return a.kind === b.kind;
  return a.wallet === b.wallet;
}

function endName(end: TransferEnd): string {
  return end.kind === 'wallet' ? `${end.node.label}'s wallet` : `${end.node.label}'s ${end.wallet.name}`;
}
