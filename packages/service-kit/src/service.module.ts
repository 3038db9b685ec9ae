import { Global, Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { PrometheusModule } from '@willsoto/nestjs-prometheus';
import type { BaseConfig } from './config.js';
import { SERVICE_CONFIG } from './tokens.js';
import { BusModule } from './bus.module.js';
import { DatabaseModule } from './database.module.js';
import { HealthController } from './health.controller.js';
import { ConsumerHealthRegistry } from './consumer-health.js';

/**
 * What every bkpr service has: its validated config (injectable as SERVICE_CONFIG and via
 * @nestjs/config), pino JSON logs, PostgreSQL, NATS, `/health/live`, `/health/ready` and
 * `/metrics`.
 */
@Global()
@Module({})
export class ServiceModule {
  static forRoot(config: BaseConfig): DynamicModule {
    return {
      module: ServiceModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: [() => ({ ...config })] }),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            base: { service: config.service, namespace: config.namespace },
            autoLogging: { ignore: (req) => /^\/(health|metrics)/.test(req.url ?? '') },
            redact: ['req.headers.authorization'],
          },
        }),
        PrometheusModule.register({ path: '/metrics', defaultMetrics: { enabled: true, config: { labels: { service: config.service } } } }),
        TerminusModule,
        BusModule.forRoot(),
        DatabaseModule.forRoot(),
      ],
      controllers: [HealthController],
      providers: [{ provide: SERVICE_CONFIG, useValue: config }, ConsumerHealthRegistry],
      exports: [SERVICE_CONFIG, ConsumerHealthRegistry],
    };
  }
}
