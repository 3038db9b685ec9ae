import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { balanceOf } from '@bkpr/domain';
import { BalancesQuery } from '@bkpr/persistence';

/** One account of `bkpr-listbalances`, as CLN shapes it, plus the node it belongs to. */
export interface ListedAccount {
  node_id: string;
  account: string;
  peer_id?: string;
  we_opened?: boolean;
  account_closed?: boolean;
  account_resolved?: boolean;
  balances: { balance_msat: bigint; coin_type: string }[];
}

@Injectable()
export class BalancesService {
  private readonly query: BalancesQuery;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.query = new BalancesQuery(dataSource);
  }

  async listBalances(nodeId: string | null): Promise<{ accounts: ListedAccount[] }> {
    const accounts: ListedAccount[] = [];
    let current: ListedAccount | undefined;
    for (const row of await this.query.totals(nodeId)) {
      if (!current || current.node_id !== row.nodeId || current.account !== row.account) {
        current = { node_id: row.nodeId, account: row.account, ...channelFields(row), balances: [] };
        accounts.push(current);
      }
      if (row.coinType === null) continue;
      const { balance } = balanceOf(row.account, row.coinType, row.creditMsatTotal, row.debitMsatTotal);
      current.balances.push({ balance_msat: balance.balanceMsat, coin_type: balance.coinType });
    }
    return { accounts };
  }
}

/** Channel accounts carry their peer and who opened them; closing facts come from the reconciler. */
function channelFields(row: { peerId: string | null; weOpened: boolean | null }): Partial<ListedAccount> {
  if (row.peerId === null && row.weOpened === null) return {};
  return {
    ...(row.peerId !== null ? { peer_id: row.peerId } : {}),
    we_opened: row.weOpened ?? false,
    account_closed: false,
    account_resolved: false,
  };
}
