import { loadConfigOrExit, startService } from '@bkpr/service-kit';
import { AppModule } from './app.module.js';
import { buildGatewayConfig, gatewayEnvSchema } from './config.js';
import { configureIngestHttp } from './notifications/http-body.js';
import { gatewayOpenApiDocument } from './notifications/openapi.js';

const config = loadConfigOrExit(gatewayEnvSchema, buildGatewayConfig);
await startService({
  config,
  module: AppModule.forRoot(config),
  configureHttp: (app) => configureIngestHttp(app, config.maxBodyBytes),
  apiDocument: gatewayOpenApiDocument,
});
