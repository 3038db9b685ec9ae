import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { dataSourceOptions, ensureDatabase } from '@bkpr/persistence';
import type { BaseConfig } from './config.js';
import { SERVICE_CONFIG } from './tokens.js';

/** TypeORM on the namespace's database; the database is created if missing. Never synchronizes. */
@Module({})
export class DatabaseModule {
  static forRoot(): DynamicModule {
    return {
      module: DatabaseModule,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: async (config: BaseConfig) => {
            await ensureDatabase(config.databaseUrl);
            return { ...dataSourceOptions(config.databaseUrl, `bkpr-${config.service}`), retryAttempts: 3, retryDelay: 1_000 };
          },
        }),
      ],
      exports: [TypeOrmModule],
    };
  }
}
