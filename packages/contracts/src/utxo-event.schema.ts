import { z } from 'zod';
import { msatSchema } from './msat.js';
import { outpointSchema, txidSchema } from './hex.js';
import { accountNameSchema, blockheightSchema, coinTypeSchema, unixSecondsSchema } from './primitives.js';

/**
 * `utxo_deposit`: a 3rd-party wallet's output was created. `account: "external"` with
 * `transfer_from: X` records a send from X. `transfer_from: null` means no origin (CLN's
 * plugin stores the text "null"; we differ on purpose).
 */
export const utxoDepositSchema = z
  .object({
    account: accountNameSchema,
    transfer_from: accountNameSchema.nullish(),
    outpoint: outpointSchema,
    amount_msat: msatSchema,
    coin_type: coinTypeSchema,
    timestamp: unixSecondsSchema,
    blockheight: blockheightSchema,
  })
  .transform((d) => ({
    account: d.account,
    transferFrom: d.transfer_from ?? null,
    outpoint: d.outpoint,
    amountMsat: d.amount_msat,
    coinType: d.coin_type,
    timestamp: d.timestamp,
    blockheight: d.blockheight,
  }));

/** `utxo_spend`: a 3rd-party wallet's output was spent by `spending_txid`. */
export const utxoSpendSchema = z
  .object({
    account: accountNameSchema,
    outpoint: outpointSchema,
    spending_txid: txidSchema,
    amount_msat: msatSchema,
    coin_type: coinTypeSchema,
    timestamp: unixSecondsSchema,
    blockheight: blockheightSchema,
  })
  .transform((s) => ({
    account: s.account,
    outpoint: s.outpoint,
    spendingTxid: s.spending_txid,
    amountMsat: s.amount_msat,
    coinType: s.coin_type,
    timestamp: s.timestamp,
    blockheight: s.blockheight,
  }));

export type UtxoDeposit = z.output<typeof utxoDepositSchema>;
export type UtxoSpend = z.output<typeof utxoSpendSchema>;
