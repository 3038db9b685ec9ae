import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { JetStreamTransport, NatsClient, type JetStreamBinding } from '@bkpr/messaging';
import type { BaseConfig } from './config.js';
import { ConsumerHealthRegistry } from './consumer-health.js';

export interface ServiceOptions {
  readonly config: BaseConfig;
  readonly module: DynamicModule;
  /** Bus consumers this service runs as a Nest microservice (ledger, reconciler). */
  readonly consumers?: (nats: NatsClient, app: INestApplication) => Promise<readonly JetStreamBinding[]>;
  /** HTTP settings of this service (body parsers, limits) before it listens. */
  readonly configureHttp?: (app: NestExpressApplication) => void;
  /** The service's OpenAPI document, served at /openapi.json with a UI at /docs; made on the first request of either. */
  readonly apiDocument?: () => object;
}

/** Creates and starts a service: HTTP (health, metrics, API) and its bus consumers. */
export async function startService(options: ServiceOptions): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(options.module, { bufferLogs: true, bodyParser: !options.configureHttp });
  options.configureHttp?.(app);
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  if (options.consumers) {
    const nats = app.get(NatsClient);
    const bindings = await options.consumers(nats, app);
    const log = {
      info: (obj: object, msg: string) => logger.log({ ...obj, msg }),
      warn: (obj: object, msg: string) => logger.warn({ ...obj, msg }),
      error: (obj: object, msg: string) => logger.error({ ...obj, msg }),
    };
    const transport = new JetStreamTransport(nats, bindings, log);
    app.get(ConsumerHealthRegistry).track(transport);
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  if (options.apiDocument) {
    // Built on the first request of /docs or /openapi.json, not at boot.
    const apiDocument = options.apiDocument;
    SwaggerModule.setup('docs', app, () => apiDocument() as OpenAPIObject, { jsonDocumentUrl: 'openapi.json' });
  }
  await app.listen(options.config.port, '0.0.0.0');
  logger.log({ port: options.config.port, msg: `${options.config.service} listening` });
  return app;
}
