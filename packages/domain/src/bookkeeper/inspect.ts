import { traceChannel } from './channel-resolution.js';
import { RPC_BKPR_ERROR, type Json, type QueryResult } from './queries.js';
import type { Books } from './state.js';
import { voutOf } from './txid.js';

/** `bkpr-inspect`: a channel's on-chain transactions, their outputs and the fees it paid. */
export function inspectChannel(books: Books, accountName: string): QueryResult<{ txs: Json[] }> {
  if (accountName === 'wallet' || accountName === 'external') {
    return { ok: false, code: RPC_BKPR_ERROR, message: '`inspect` not supported for non-channel accounts' };
  }
  const account = books.accounts.find((a) => a.name === accountName);
  if (!account) return { ok: false, code: RPC_BKPR_ERROR, message: `Account ${accountName} not found` };
  if (!account.openEvent) {
    // CLN's plugin would stop here; a channel needs its opening to be traced.
    return { ok: false, code: RPC_BKPR_ERROR, message: `Account ${accountName} has no channel_open: nothing to inspect` };
  }
  const trace = traceChannel(books.chainEvents, account);
  const txs = trace.txs.map((tx) => {
    const fees = books.feeRows.feeOf(account.id, tx.txid).paidMsat;
    const confirmed = tx.pairs.find((p) => p.creation && p.creation.blockheight > 0);
    const outputs: Json[] = [];
    for (const { creation, spend } of tx.pairs) {
      if (creation) {
        const shown = creation.originAccount !== null ? creation.originAccount === account.name : creation.accountId === account.id || creation.account === 'wallet';
        if (!shown) continue;
        const out: Json = {
          account: creation.account,
          outnum: voutOf(creation.outpoint),
          output_tag: creation.tag,
          output_value_msat: creation.outputMsat,
          credit_msat: creation.creditMsat,
          currency: creation.coinType,
        };
        if (creation.originAccount !== null) out['originating_account'] = creation.originAccount;
        if (spend) Object.assign(out, spendFields(spend));
        outputs.push(out);
      } else if (spend && spend.accountId === account.id) {
        outputs.push({
          account: spend.account,
          outnum: voutOf(spend.outpoint),
          output_value_msat: spend.outputMsat,
          currency: spend.coinType,
          ...spendFields(spend),
        });
      }
    }
    const out: Json = { txid: tx.txid };
    if (confirmed) out['blockheight'] = confirmed.creation!.blockheight;
    out['fees_paid_msat'] = fees;
    out['outputs'] = outputs;
    return out;
  });
  return { ok: true, value: { txs } };
}

function spendFields(spend: { tag: string; spendingTxid: string | null; debitMsat: bigint; paymentId: string | null }): Json {
  const out: Json = { spend_tag: spend.tag, spending_txid: spend.spendingTxid, debit_msat: spend.debitMsat };
  if (spend.paymentId !== null) out['payment_id'] = spend.paymentId;
  return out;
}
