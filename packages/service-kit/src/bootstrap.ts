import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type { DynamicModule, INestApplication } from '@nestjs/common';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { NatsClient, type JetStreamBinding } from '@bkpr/messaging';
import type { BaseConfig } from './config.js';
import { ConsumerHealthRegistry } from './consumer-health.js';

export interface ServiceOptions {
  readonly config: BaseConfig;
  readonly module: DynamicModule;
  /** Bus consumers this service runs as a Nest microservice (ledger, reconciler). */
  readonly consumers?: (nats: NatsClient, app: INestApplication) => Promise<readonly JetStreamBinding[]>;
  /** HTTP settings of this service (body parsers, limits) before it listens. */
  readonly configureHttp?: (app: NestExpressApplication) => void;
  /**
   * The service's OpenAPI document, served at /openapi.json with a UI at /docs; made on the
   * first request of either (a promise: what makes it may be imported then too).
   */
  readonly apiDocument?: () => object | Promise<object>;
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
    // Imported by the services that consume the bus only (it imports @nestjs/microservices;
    // NestFactory still preloads that package wherever it is installed).
    const { JetStreamTransport } = await import('@bkpr/messaging/transport');
    const transport = new JetStreamTransport(nats, bindings, log);
    app.get(ConsumerHealthRegistry).track(transport);
    app.connectMicroservice({ strategy: transport }, { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  if (options.apiDocument) serveApiDocsWhenAsked(app, options.apiDocument);
  await app.listen(options.config.port, '0.0.0.0');
  logger.log({ port: options.config.port, msg: `${options.config.service} listening` });
  return app;
}

/** /docs, what is under it, and /openapi.json (a query string allowed); not /docsX or /openapi.jsonp. */
const API_DOCS_PATH = /^\/(docs|openapi\.json)(?:[/?]|$)/;

type Handler = (req: { url: string }, res: unknown, next: (error?: unknown) => void) => void;

/**
 * /openapi.json and the UI at /docs, set up by Swagger on the first request of either: the
 * Swagger module (≈ 4 MiB of heap, ≈ 8 MiB of RSS with its code) and the document are loaded
 * only if someone reads the docs. Swagger's routes go on an Express app of their own, which
 * this middleware (in front of the service's routes) hands those paths to.
 */
function serveApiDocsWhenAsked(app: NestExpressApplication, apiDocument: () => object | Promise<object>): void {
  let docs: Promise<Handler> | null = null;
  const setUp = async (): Promise<Handler> => {
    const { SwaggerModule } = await import('@nestjs/swagger');
    const document = (await apiDocument()) as OpenAPIObject;
    const adapter = new ExpressAdapter();
    // What SwaggerModule.setup uses of an application: its HTTP adapter and static assets.
    const host = { getHttpAdapter: () => adapter, useStaticAssets: (path: string, options: object) => adapter.useStaticAssets(path, options) };
    SwaggerModule.setup('docs', host as unknown as INestApplication, () => document, { jsonDocumentUrl: 'openapi.json' });
    return adapter.getInstance<Handler>();
  };
  app.use((req: { url: string }, res: unknown, next: (error?: unknown) => void) => {
    if (!API_DOCS_PATH.test(req.url)) return next();
    (docs ??= setUp()).then((handle) => handle(req, res, next), next);
  });
}
