import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceModule } from '@bkpr/service-kit';
import type { LedgerConfig } from './config.js';
import { MovementsConsumer } from './movements/movements.consumer.js';

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig): DynamicModule {
    return { module: AppModule, imports: [ServiceModule.forRoot(config)], controllers: [MovementsConsumer] };
  }
}
