import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { NatsClient } from '@bkpr/messaging';
import { hasPendingMigrations } from '@bkpr/persistence';
import { ConsumerHealthRegistry } from './consumer-health.js';

@Controller('health')
export class HealthController {
  constructor(
    @Inject(HealthCheckService) private readonly health: HealthCheckService,
    @Inject(HealthIndicatorService) private readonly indicators: HealthIndicatorService,
    @Inject(TypeOrmHealthIndicator) private readonly db: TypeOrmHealthIndicator,
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(NatsClient) private readonly nats: NatsClient,
    @Inject(ConsumerHealthRegistry) private readonly consumers: ConsumerHealthRegistry,
  ) {}

  /** The process is up and its event loop turns. */
  @Get('live')
  // Without Swagger decorators (Terminus would load @nestjs/swagger at boot for them): the
  // services' OpenAPI documents are made from zod schemas, not from decorators.
  @HealthCheck({ swaggerDocumentation: false })
  live() {
    return this.health.check([]);
  }

  /** Ready for traffic: database and NATS reachable, schema migrated, consumers running. */
  @Get('ready')
  @HealthCheck({ swaggerDocumentation: false })
  ready() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 2_000 }),
      () => this.indicators.check('nats').attempt(async () => ({ rtt_ms: await this.nats.ping() })).withTimeout(2_000),
      () =>
        this.indicators.check('migrations').attempt(async () => {
          if (await hasPendingMigrations(this.dataSource)) throw new Error('pending migrations: run `npm run migrate`');
          return { pending: 0 };
        }),
      () =>
        this.indicators.check('consumers').attempt(() => {
          const problems = this.consumers.problems();
          if (problems.length) throw new Error(problems.join('; '));
        }),
    ]);
  }
}
