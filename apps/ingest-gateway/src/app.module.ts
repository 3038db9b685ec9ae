import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceModule } from '@bkpr/service-kit';
import type { GatewayConfig } from './config.js';
import { NotificationsModule } from './notifications/notifications.module.js';

@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig): DynamicModule {
    return { module: AppModule, imports: [ServiceModule.forRoot(config), NotificationsModule] };
  }
}
