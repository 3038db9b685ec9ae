import { describe, expect, it } from 'vitest';
import { busNames } from './names.js';

describe('busNames', () => {
  it('prefixes every subject and stream with the namespace', () => {
    const names = busNames('bkpr_t1');
    expect(names.streams).toEqual({ movements: 'BKPR_T1_MOVEMENTS', recorded: 'BKPR_T1_RECORDED', derived: 'BKPR_T1_DERIVED', dlq: 'BKPR_T1_DLQ' });
    expect(names.derivedSubject('02ab', 'onchain_fee')).toBe('bkpr_t1.derived.02ab.onchain_fee');
    expect(names.movementSubject('02ab', 'chain')).toBe('bkpr_t1.movement.02ab.chain');
    expect(names.movementFilter).toBe('bkpr_t1.movement.>');
    expect(names.recordedSubject('02ab', 'channel')).toBe('bkpr_t1.recorded.02ab.channel');
    expect(names.dlqSubject('ledger')).toBe('bkpr_t1.dlq.ledger');
    expect(names.ingestSubject).toBe('bkpr_t1.ingest');
    expect(names.querySubject('bkpr-listincome')).toBe('bkpr_t1.query.bkpr-listincome');
  });

  it('defaults to bkpr', () => {
    expect(busNames().streams.movements).toBe('BKPR_MOVEMENTS');
  });

  it.each(['', 'Bkpr', 'has.dot', 'has space', '9lives', 'a'.repeat(41)])('rejects namespace %j', (ns) => {
    expect(() => busNames(ns)).toThrow(/namespace/);
  });
});
