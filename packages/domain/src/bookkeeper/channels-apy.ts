import type { Json } from './queries.js';
import type { Books } from './state.js';

const BLOCKS_PER_YEAR = 52_364;
const LEASE_BLOCKS = 4_032;

/** A double printed as C's `%.4f` does: exact binary value, ties to even (JS toFixed ties up). */
export function percent4(x: number): string {
  const tie = Number.isInteger(x * 32) && Math.abs(x * 32) % 2 === 1;
  if (!tie) return `${x.toFixed(4)}%`;
  let n = Math.ceil(Math.abs(x) * 10_000);
  if (n % 2 === 1) n -= 1;
  const text = `${Math.trunc(n / 10_000)}.${String(n % 10_000).padStart(4, '0')}`;
  return `${x < 0 ? '-' : ''}${text}%`;
}

const ratio = (a: bigint, b: bigint) => Number(a) / Number(b);
const apy = (earned: bigint, capital: bigint, blocks: number) => ((ratio(earned, capital) * BLOCKS_PER_YEAR) / blocks) * 100;

interface ChannelFigures {
  account: string;
  routedOut: bigint;
  routedIn: bigint;
  leaseOut: bigint;
  leaseIn: bigint;
  pushOut: bigint;
  pushIn: bigint;
  ourStart: bigint;
  totalStart: bigint;
  feesOut: bigint;
  feesIn: bigint;
  startBlock: number;
  endBlock: number;
}

/**
 * `bkpr-channelsapy`: routing volume, fees and yields per channel over the window, plus a
 * `net` row. The end of an open channel's period is the chain tip: CLN asks its node; we use
 * `tipBlockheight` (the caller's `current_blockheight`, else the highest block we have seen).
 */
export function channelsApy(books: Books, window: { startTime: number; endTime: number }, tipBlockheight: number): { channels_apy: Json[] } {
  const events = books.channelEvents;
  const inWindow: number[][] = books.accounts.map(() => []);
  for (let i = 0; i < events.length; i++) {
    const timestamp = events.timestampOf(i);
    if (timestamp > window.startTime && timestamp <= window.endTime) inWindow[events.accountIdOf(i)]!.push(i);
  }
  const figures: ChannelFigures[] = [];
  for (const account of books.accounts) {
    if (account.name === 'wallet' || account.name === 'external' || !account.openEvent) continue;
    const ofAccount = inWindow[account.id]!;
    if (ofAccount.length === 0) continue;
    const f: ChannelFigures = {
      account: account.name,
      routedOut: 0n, routedIn: 0n, leaseOut: 0n, leaseIn: 0n, pushOut: 0n, pushIn: 0n, feesOut: 0n, feesIn: 0n,
      ourStart: account.openEvent.creditMsat,
      totalStart: account.openEvent.outputMsat,
      startBlock: account.openEvent.blockheight,
      endBlock: account.closedEvent ? account.closedEvent.blockheight : tipBlockheight,
    };
    for (const i of ofAccount) {
      const tag = events.tagOf(i);
      if (tag === 'routed' || tag === 'invoice') {
        f.routedIn += events.creditOf(i);
        f.routedOut += events.debitOf(i);
        if (tag === 'routed') {
          if (events.creditOf(i) !== 0n) f.feesIn += events.feesOf(i);
          else f.feesOut += events.feesOf(i);
        }
      } else if (tag === 'pushed') {
        f.pushIn += events.creditOf(i);
        f.pushOut += events.debitOf(i);
      } else if (tag === 'lease_fee') {
        f.leaseIn += events.creditOf(i);
        f.leaseOut += events.debitOf(i);
      }
    }
    f.ourStart = f.ourStart - f.pushOut - f.leaseOut + f.pushIn + f.leaseIn;
    figures.push(f);
  }
  const rows = figures.map(apyRow);
  const net = figures.reduce<ChannelFigures | null>((sum, f) => {
    if (!sum) return { ...f, account: 'net' };
    return {
      account: 'net',
      routedOut: sum.routedOut + f.routedOut, routedIn: sum.routedIn + f.routedIn,
      leaseOut: sum.leaseOut + f.leaseOut, leaseIn: sum.leaseIn + f.leaseIn,
      pushOut: sum.pushOut + f.pushOut, pushIn: sum.pushIn + f.pushIn,
      ourStart: sum.ourStart + f.ourStart, totalStart: sum.totalStart + f.totalStart,
      feesOut: sum.feesOut + f.feesOut, feesIn: sum.feesIn + f.feesIn,
      startBlock: Math.min(sum.startBlock, f.startBlock), endBlock: Math.max(sum.endBlock, f.endBlock),
    };
  }, null);
  if (net && net.totalStart !== 0n) rows.push(apyRow(net));
  return { channels_apy: rows };
}

function apyRow(f: ChannelFigures): Json {
  const their = f.totalStart - f.ourStart;
  const blocks = f.endBlock - f.startBlock + 1;
  const row: Json = {
    account: f.account,
    routed_out_msat: f.routedOut,
    routed_in_msat: f.routedIn,
    lease_fee_paid_msat: f.leaseOut,
    lease_fee_earned_msat: f.leaseIn,
    pushed_out_msat: f.pushOut,
    pushed_in_msat: f.pushIn,
    our_start_balance_msat: f.ourStart,
    channel_start_balance_msat: f.totalStart,
    fees_out_msat: f.feesOut,
    fees_in_msat: f.feesIn,
    utilization_out: percent4(ratio(f.routedOut, f.totalStart) * 100),
  };
  if (f.ourStart !== 0n) row['utilization_out_initial'] = percent4(ratio(f.routedOut, f.ourStart) * 100);
  row['utilization_in'] = percent4(ratio(f.routedIn, f.totalStart) * 100);
  if (their !== 0n) row['utilization_in_initial'] = percent4(ratio(f.routedIn, their) * 100);
  row['apy_out'] = percent4(apy(f.feesOut, f.totalStart, blocks));
  if (f.ourStart !== 0n) row['apy_out_initial'] = percent4(apy(f.feesOut, f.ourStart, blocks));
  row['apy_in'] = percent4(apy(f.feesIn, f.totalStart, blocks));
  if (their !== 0n) row['apy_in_initial'] = percent4(apy(f.feesIn, their, blocks));
  row['apy_total'] = percent4(apy(f.feesIn + f.feesOut, f.totalStart, blocks));
  // CLN computes the "initial" total yield on the channel's total too, so it equals apy_total.
  if (f.ourStart !== 0n) row['apy_total_initial'] = percent4(apy(f.feesIn + f.feesOut, f.totalStart, blocks));
  if (f.leaseIn !== 0n) row['apy_lease'] = percent4(apy(f.leaseIn, f.ourStart - f.leaseIn, LEASE_BLOCKS));
  return row;
}
