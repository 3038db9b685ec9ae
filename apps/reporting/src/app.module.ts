import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceModule } from '@bkpr/service-kit';
import type { ReportingConfig } from './config.js';
import { RpcModule } from './rpc/rpc.module.js';

@Module({})
export class AppModule {
  static forRoot(config: ReportingConfig): DynamicModule {
    return { module: AppModule, imports: [ServiceModule.forRoot(config), RpcModule] };
  }
}
