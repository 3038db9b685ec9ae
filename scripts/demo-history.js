/**
 * A small, readable node history that `npm start` loads so a newcomer sees something in
 * every query: a wallet funded, a channel opened with part of it, payments in and out,
 * a routed payment. (The workload generator replaces this with generated histories.)
 */
const node = '02a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';
const peer = '03f0e1d2c3b4a5968778695a4b3c2d1e0ff0e1d2c3b4a5968778695a4b3c2d1e0f';
const channel = 'c0ffee00000000000000000000000000000000000000000000000000000000c1';
const fundingTxid = 'd3a0000000000000000000000000000000000000000000000000000000000001';
const depositTxid = 'de90000000000000000000000000000000000000000000000000000000000001';
const t0 = 1_767_225_600; // 2026-01-01T00:00:00Z

const chain = (fields) => ({ coin_movement: { version: 2, node_id: node, type: 'chain_mvt', coin_type: 'bc', ...fields } });
const channelMvt = (fields) => ({
  coin_movement: { version: 2, node_id: node, type: 'channel_mvt', account_id: channel, coin_type: 'bc', fees_msat: 0, ...fields },
});

export const demoHistory = [
  chain({ account_id: 'wallet', utxo_txid: depositTxid, vout: 0, credit_msat: 5_000_000_000, debit_msat: 0, output_msat: 5_000_000_000, tags: ['deposit'], blockheight: 900_000, timestamp: t0 }),
  chain({ account_id: 'wallet', txid: fundingTxid, utxo_txid: depositTxid, vout: 0, credit_msat: 0, debit_msat: 5_000_000_000, output_msat: 5_000_000_000, tags: ['withdrawal'], blockheight: 900_010, timestamp: t0 + 6_000 }),
  chain({ account_id: 'wallet', utxo_txid: fundingTxid, vout: 1, credit_msat: 2_999_800_000, debit_msat: 0, output_msat: 2_999_800_000, tags: ['deposit'], blockheight: 900_010, timestamp: t0 + 6_000 }),
  chain({ account_id: channel, peer_id: peer, utxo_txid: fundingTxid, vout: 0, credit_msat: 2_000_000_000, debit_msat: 0, output_msat: 2_000_000_000, tags: ['channel_open', 'opener'], blockheight: 900_010, timestamp: t0 + 6_000 }),
  channelMvt({ payment_hash: 'aa00000000000000000000000000000000000000000000000000000000000001', credit_msat: 120_000_000, debit_msat: 0, tags: ['invoice'], timestamp: t0 + 86_400 }),
  channelMvt({ payment_hash: 'aa00000000000000000000000000000000000000000000000000000000000002', part_id: 0, credit_msat: 0, debit_msat: 50_010_000, fees_msat: 10_000, tags: ['invoice'], timestamp: t0 + 2 * 86_400 }),
  channelMvt({ payment_hash: 'aa00000000000000000000000000000000000000000000000000000000000003', credit_msat: 0, debit_msat: 30_000_000, fees_msat: 1_500, tags: ['routed'], timestamp: t0 + 3 * 86_400 }),
];
