import { describe, expect, it } from 'vitest';
import { cliParams } from './params.js';
import { renderForPeople } from './table.js';

describe('cliParams', () => {
  it('reads key=value as named params with JSON-ish values', () => {
    expect(cliParams(['consolidate_fees=false', 'start_time=1700000000', 'account=wallet'])).toEqual({ consolidate_fees: false, start_time: 1_700_000_000, account: 'wallet' });
  });
  it('reads bare words as positional params', () => {
    expect(cliParams(['koinly', 'out.csv', 'true'])).toEqual(['koinly', 'out.csv', true]);
  });
  it('refuses a mix, as lightning-cli does', () => {
    expect(() => cliParams(['koinly', 'consolidate_fees=false'])).toThrow(/either key=value/);
  });
});

describe('renderForPeople', () => {
  it('prints one list of rows as a table', () => {
    const text = renderForPeople({ accounts: [{ account: 'wallet', balance_msat: 5 }, { account: 'c0ffee', peer_id: '02ab' }], as_of: 3 });
    expect(text.split('\n')).toEqual(['account  balance_msat  peer_id', '-------  ------------  -------', 'wallet   5', 'c0ffee                 02ab']);
  });
});
