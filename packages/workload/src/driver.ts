import { createFormat, FORMAT_NAMES, type FormatName } from './formats/index.js';
import {
  MSAT_PER_SAT,
  other,
  sendableMsat,
  sideOf,
  type Channel,
  type OrgNode,
  type Party,
  type PaymentPart,
  type TransferEnd,
  type World,
  CoinPool,
  sameEnd,
} from './model.js';
import type { Rng } from './prng.js';

/** Names of 3rd-party wallets (accounts fed by `utxo_deposit`/`utxo_spend`). */
const THIRD_PARTY_NAMES = ['cold storage', "nifty's secret stash", 'exchange account', 'treasury multisig', 'savings vault', 'hardware wallet'];

export interface DriverConfig {
  readonly nodes: number;
  readonly channelsPerNode: number;
  readonly formats: Readonly<Partial<Record<FormatName, number>>>;
  readonly meanSecondsBetweenActions: number;
}

type ActionName =
  | 'open'
  | 'forward'
  | 'receive'
  | 'pay'
  | 'rebalance'
  | 'orgPay'
  | 'deposit'
  | 'thirdPartyDeposit'
  | 'send'
  | 'transfer'
  | 'close'
  | 'snapshot';

/** Relative frequency of each activity (per step, for the node chosen). */
const WEIGHTS: readonly (readonly [ActionName, number])[] = [
  ['forward', 34],
  ['receive', 22],
  ['pay', 14],
  ['rebalance', 3],
  ['orgPay', 2],
  ['deposit', 2],
  ['thirdPartyDeposit', 1.5],
  ['send', 1.5],
  ['transfer', 1.5],
  ['close', 0.2],
  ['snapshot', 0.5],
];
/** Weight of `open` while the node has fewer channels than asked for. */
const OPEN_WEIGHT = 40;

/**
 * Plays the organization: picks a node and an activity at random (weights above), with
 * random but plausible amounts, and asks the world to do it. An activity that is not possible
 * right now (no liquidity, no coins) is replaced by another; a deposit from outside is
 * always possible.
 */
export class ActivityDriver {
  private readonly weights: number[];

  constructor(
    private readonly world: World,
    private readonly rng: Rng,
    private readonly config: DriverConfig,
  ) {
    this.weights = WEIGHTS.map(([, w]) => w);
  }

  /** Creates the nodes and their 3rd-party wallets. */
  setup(): void {
    const formatNames = FORMAT_NAMES.filter((f) => (this.config.formats[f] ?? 0) > 0);
    const formatWeights = formatNames.map((f) => this.config.formats[f] ?? 0);
    for (let i = 0; i < this.config.nodes; i++) {
      const format = formatNames[this.rng.weightedIndex(formatWeights)]!;
      const node = this.world.addNode(this.world.ids.nodeId(), `node-${i}`, createFormat(format));
      const count = i === 0 ? this.rng.int(1, 2) : this.rng.int(0, 2);
      const names = this.rng.shuffle([...THIRD_PARTY_NAMES]).slice(0, count);
      for (const name of names) node.thirdPartyWallets.push({ name, coins: new CoinPool(), seen: false });
    }
  }

  /** One activity at `world.now`, then the clock moves on. */
  step(): void {
    const world = this.world;
    const node = this.rng.pick(world.nodes);
    const weights = [...this.weights, node.channels.length < this.config.channelsPerNode ? OPEN_WEIGHT : 0];
    const names: ActionName[] = [...WEIGHTS.map(([name]) => name), 'open'];
    let done = false;
    for (let attempt = 0; attempt < 4 && !done; attempt++) {
      done = this.act(names[this.rng.weightedIndex(weights)]!, node);
    }
    if (!done) this.act('deposit', node);
    const gap = -Math.log(1 - this.rng.float()) * this.config.meanSecondsBetweenActions;
    world.now += 3 + Math.floor(gap);
  }

  private act(action: ActionName, node: OrgNode): boolean {
    switch (action) {
      case 'open':
        return this.open(node);
      case 'forward':
        return this.forward(node);
      case 'receive':
        return this.receive(node);
      case 'pay':
        return this.pay(node);
      case 'rebalance':
        return this.rebalance(node);
      case 'orgPay':
        return this.orgPay(node);
      case 'deposit':
        return this.world.depositFromOutside(node, this.amountSat(100_000n, 50_000_000n));
      case 'thirdPartyDeposit':
        return node.thirdPartyWallets.length > 0 && this.world.thirdPartyDepositFromOutside(node, this.rng.pick(node.thirdPartyWallets), this.amountSat(50_000n, 20_000_000n));
      case 'send':
        return this.send(node);
      case 'transfer':
        return this.transfer(node);
      case 'close':
        return this.close(node);
      case 'snapshot':
        return this.world.snapshot(node);
    }
  }

  // ------------------------------------------------------------------------------------------

  private externalPeer(): Party {
    return { kind: 'external', peerId: this.world.ids.nodeId() };
  }

  /** Makes sure the wallet can fund `sat` (plus fees): tops it up from outside if not. */
  private ensureWallet(node: OrgNode, sat: bigint): void {
    const needMsat = (sat + 50_000n) * MSAT_PER_SAT;
    if (node.wallet.spendableMsat() >= needMsat) return;
    this.world.depositFromOutside(node, sat + 100_000n + this.amountSat(100_000n, 10_000_000n));
  }

  private open(node: OrgNode): boolean {
    const world = this.world;
    const rng = this.rng;
    const capacitySat = this.amountSat(1_000_000n, 20_000_000n);
    const anchors = rng.chance(0.6);
    const feerate = BigInt(rng.int(1, 25));
    const us: Party = { kind: 'org', node };
    const push = (fraction: number): bigint => (rng.chance(fraction) ? rng.bigint(1n, capacitySat / 10n) * MSAT_PER_SAT + rng.bigint(0n, 999n) : 0n);
    const r = rng.float();
    const orgPeers = world.nodes.filter((n) => n !== node);
    if (orgPeers.length > 0 && r < 0.12) {
      this.ensureWallet(node, capacitySat);
      const peer = rng.pick(orgPeers);
      return world.openChannel({ opener: us, accepter: { kind: 'org', node: peer }, openerFundingSat: capacitySat, pushMsat: push(0.3), anchors, feerateSatPerVbyte: feerate }) !== null;
    }
    if (r < 0.55) {
      this.ensureWallet(node, capacitySat);
      return world.openChannel({ opener: us, accepter: this.externalPeer(), openerFundingSat: capacitySat, pushMsat: push(0.25), anchors, feerateSatPerVbyte: feerate }) !== null;
    }
    if (r < 0.85) {
      return world.openChannel({ opener: this.externalPeer(), accepter: us, openerFundingSat: capacitySat, pushMsat: push(0.3), anchors, feerateSatPerVbyte: feerate }) !== null;
    }
    // Leases (liquidity ads, dual-funded): the lessee opens, the lessor adds funds and earns the fee.
    const leaseFeeSat = capacitySat / 200n + rng.bigint(0n, 5_000n);
    const half = capacitySat / 2n;
    if (r < 0.925) {
      this.ensureWallet(node, half + leaseFeeSat);
      return (
        world.openChannel({
          opener: us,
          accepter: this.externalPeer(),
          openerFundingSat: half + leaseFeeSat,
          accepterFundingSat: half,
          pushMsat: leaseFeeSat * MSAT_PER_SAT,
          leased: true,
          anchors,
          feerateSatPerVbyte: feerate,
        }) !== null
      );
    }
    this.ensureWallet(node, half);
    return (
      world.openChannel({
        opener: this.externalPeer(),
        accepter: us,
        openerFundingSat: half + leaseFeeSat,
        accepterFundingSat: half,
        pushMsat: leaseFeeSat * MSAT_PER_SAT,
        leased: true,
        anchors,
        feerateSatPerVbyte: feerate,
      }) !== null
    );
  }

  /** Open channels of `node` whose peer is outside the organization. */
  private externalChannels(node: OrgNode): Channel[] {
    return node.channels.filter((c) => c.sides[other(sideOf(c, node))].kind === 'external');
  }

  private outbound(node: OrgNode, c: Channel): bigint {
    return sendableMsat(c, sideOf(c, node));
  }

  private inbound(node: OrgNode, c: Channel): bigint {
    return sendableMsat(c, other(sideOf(c, node)));
  }

  private forward(node: OrgNode): boolean {
    const channels = this.externalChannels(node);
    if (channels.length < 2) return false;
    const incoming = this.rng.pick(channels);
    const outgoing = this.rng.pick(channels.filter((c) => c !== incoming));
    const amount = this.fit(this.amountMsat(10_000n, 2_000_000n), min(this.outbound(node, outgoing), (this.inbound(node, incoming) * 99n) / 100n - 2_000n));
    if (amount === null) return false;
    return this.world.forward(node, incoming, outgoing, amount, this.routingFee(amount));
  }

  private receive(node: OrgNode): boolean {
    const channels = this.externalChannels(node).filter((c) => this.inbound(node, c) > 1_000_000n);
    if (channels.length === 0) return false;
    const partCount = this.rng.chance(0.2) ? Math.min(channels.length, this.rng.int(2, 3)) : 1;
    const parts: PaymentPart[] = [];
    for (const channel of this.rng.shuffle([...channels]).slice(0, partCount)) {
      const amount = this.fit(this.amountMsat(1_000n, 3_000_000n), this.inbound(node, channel));
      if (amount === null) return false;
      parts.push({ channel, amountMsat: amount });
    }
    return this.world.receiveInvoice(node, parts);
  }

  private pay(node: OrgNode): boolean {
    const channels = this.externalChannels(node).filter((c) => this.outbound(node, c) > 1_000_000n);
    if (channels.length === 0) return false;
    const partCount = this.rng.chance(0.2) ? Math.min(channels.length, this.rng.int(2, 3)) : 1;
    const parts: PaymentPart[] = [];
    for (const channel of this.rng.shuffle([...channels]).slice(0, partCount)) {
      const amount = this.fit(this.amountMsat(1_000n, 3_000_000n), (this.outbound(node, channel) * 99n) / 100n - 10_000n);
      if (amount === null) return false;
      parts.push({ channel, amountMsat: amount, feeMsat: this.routingFee(amount) });
    }
    return this.world.payInvoice(node, parts);
  }

  private rebalance(node: OrgNode): boolean {
    const channels = this.externalChannels(node);
    if (channels.length < 2) return false;
    const outgoing = channels.reduce((a, b) => (this.outbound(node, b) > this.outbound(node, a) ? b : a));
    const incoming = channels.filter((c) => c !== outgoing).reduce((a, b) => (this.inbound(node, b) > this.inbound(node, a) ? b : a));
    const limit = min((this.outbound(node, outgoing) * 98n) / 100n - 10_000n, this.inbound(node, incoming)) / 2n;
    const amount = this.fit(this.amountMsat(10_000n, 5_000_000n), limit);
    if (amount === null) return false;
    return this.world.rebalance(node, outgoing, incoming, amount, this.routingFee(amount));
  }

  private orgPay(node: OrgNode): boolean {
    const channels = node.channels.filter((c) => c.sides[other(sideOf(c, node))].kind === 'org');
    if (channels.length === 0) return false;
    const channel = this.rng.pick(channels);
    const amount = this.fit(this.amountMsat(1_000n, 2_000_000n), this.outbound(node, channel));
    return amount !== null && this.world.payOrgInvoice(channel, sideOf(channel, node), amount);
  }

  private send(node: OrgNode): boolean {
    const from = this.pickSource(node);
    if (from === null) return false;
    const amount = this.fit(this.amountSat(10_000n, 10_000_000n), this.spendableSat(from) / 2n);
    return amount !== null && this.world.sendOnchain(from, amount, BigInt(this.rng.int(1, 25)), null);
  }

  private transfer(node: OrgNode): boolean {
    const from = this.pickSource(node);
    if (from === null) return false;
    const targets: TransferEnd[] = [];
    for (const n of this.world.nodes) {
      targets.push({ kind: 'wallet', node: n });
      for (const wallet of n.thirdPartyWallets) targets.push({ kind: 'third_party', node: n, wallet });
    }
    const candidates = targets.filter((t) => !sameEnd(t, from));
    if (candidates.length === 0) return false;
    const amount = this.fit(this.amountSat(10_000n, 10_000_000n), this.spendableSat(from) / 2n);
    return amount !== null && this.world.sendOnchain(from, amount, BigInt(this.rng.int(1, 25)), this.rng.pick(candidates));
  }

  /** The node's wallet or one of its 3rd-party wallets, if it has coins. */
  private pickSource(node: OrgNode): TransferEnd | null {
    const sources: TransferEnd[] = [{ kind: 'wallet', node }];
    for (const wallet of node.thirdPartyWallets) sources.push({ kind: 'third_party', node, wallet });
    const funded = sources.filter((s) => this.spendableSat(s) > 100_000n);
    return funded.length === 0 ? null : this.rng.pick(funded);
  }

  private spendableSat(end: TransferEnd): bigint {
    const pool = end.kind === 'wallet' ? end.node.wallet : end.wallet.coins;
    return pool.spendableMsat() / MSAT_PER_SAT;
  }

  private close(node: OrgNode): boolean {
    if (node.channels.length === 0) return false;
    const channel = this.rng.pick(node.channels);
    const r = this.rng.float();
    const commitFeeSat = this.rng.bigint(500n, 5_000n);
    const sweepFeeSat = this.rng.bigint(200n, 2_000n);
    if (r < 0.25 && this.world.unilateralClose(channel, sideOf(channel, node), commitFeeSat, sweepFeeSat)) return true;
    if (r >= 0.25 && r < 0.45 && this.world.unilateralClose(channel, other(sideOf(channel, node)), commitFeeSat, sweepFeeSat)) return true;
    return this.world.mutualClose(channel, this.rng.bigint(200n, 3_000n));
  }

  // ------------------------------------------------------------------------------------------
  // Amounts (bigint only)

  /** Roughly log-uniform between `minSat` and `maxSat` (a random decade, then uniform in it). */
  private amountSat(minSat: bigint, maxSat: bigint): bigint {
    const decades: bigint[] = [];
    for (let lo = minSat; lo < maxSat; lo *= 10n) decades.push(lo);
    const lo = this.rng.pick(decades);
    const hi = min(lo * 10n, maxSat);
    return this.rng.bigint(lo, hi);
  }

  /** An msat amount with a non-round tail, between `minSat` and `maxSat` satoshis. */
  private amountMsat(minSat: bigint, maxSat: bigint): bigint {
    return this.amountSat(minSat, maxSat) * MSAT_PER_SAT + this.rng.bigint(0n, 999n);
  }

  /** `amount` if it fits under `limit`, else something between half the limit and the limit; null if the limit is tiny. */
  private fit(amount: bigint, limit: bigint): bigint | null {
    if (limit < 1_000n) return null;
    if (amount <= limit) return amount;
    return this.rng.bigint(limit / 2n, limit);
  }

  /** A routing fee: base 0–1000 msat plus 1–1500 ppm. */
  private routingFee(amountMsat: bigint): bigint {
    return this.rng.bigint(0n, 1_000n) + (amountMsat * this.rng.bigint(1n, 1_500n)) / 1_000_000n;
  }
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
