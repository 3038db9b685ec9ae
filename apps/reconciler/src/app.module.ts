import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceModule } from '@bkpr/service-kit';
import type { ReconcilerConfig } from './config.js';
import { RecordedConsumer } from './recorded/recorded.consumer.js';
import { reconcilerMetricProviders } from './recorded/reconciler.metrics.js';

@Module({})
export class AppModule {
  static forRoot(config: ReconcilerConfig): DynamicModule {
    return { module: AppModule, imports: [ServiceModule.forRoot(config)], controllers: [RecordedConsumer], providers: [...reconcilerMetricProviders] };
  }
}
