import 'reflect-metadata';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { AccountEntity } from './entities/account.entity.js';
import { ChainEventEntity } from './entities/chain-event.entity.js';
import { ChannelEventEntity } from './entities/channel-event.entity.js';
import { InitialLedger1764288000000 } from './migrations/1764288000000-initial-ledger.js';
import { BalanceSnapshots1764291600000 } from './migrations/1764291600000-balance-snapshots.js';
import { BalanceSnapshotEntity } from './entities/balance-snapshot.entity.js';
import { ArrivalOrderAndDescriptions1764295200000 } from './migrations/1764295200000-arrival-order-and-descriptions.js';
import { ReconcilerDerived1764298800000 } from './migrations/1764298800000-reconciler-derived.js';
import { InternalTransfers1764302400000 } from './migrations/1764302400000-internal-transfers.js';
import { DropConsumerWatermarks1764306000000 } from './migrations/1764306000000-drop-consumer-watermarks.js';
import { DropUnreadFactIndexes1764309600000 } from './migrations/1764309600000-drop-unread-fact-indexes.js';
import { CheaperFactInserts1764313200000 } from './migrations/1764313200000-cheaper-fact-inserts.js';

export const ENTITIES = [AccountEntity, ChainEventEntity, ChannelEventEntity, BalanceSnapshotEntity];
/** Every migration, oldest first. Append new ones; never edit one that has shipped. */
export const MIGRATIONS = [
  InitialLedger1764288000000,
  BalanceSnapshots1764291600000,
  ArrivalOrderAndDescriptions1764295200000,
  ReconcilerDerived1764298800000,
  InternalTransfers1764302400000,
  DropConsumerWatermarks1764306000000,
  DropUnreadFactIndexes1764309600000,
  CheaperFactInserts1764313200000,
];

export function dataSourceOptions(databaseUrl: string, applicationName: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'schema_migrations',
    synchronize: false,
    migrationsRun: false,
    applicationName,
    extra: { max: 10, connectionTimeoutMillis: 5_000 },
  };
}

export function createDataSource(databaseUrl: string, applicationName: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl, applicationName));
}
