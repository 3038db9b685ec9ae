import { loadConfigOrExit, startService } from '@bkpr/service-kit';
import { json } from 'express';
import { AppModule } from './app.module.js';
import { buildGatewayConfig, gatewayEnvSchema } from './config.js';

const config = loadConfigOrExit(gatewayEnvSchema, buildGatewayConfig);
await startService({
  config,
  module: AppModule.forRoot(config),
  configureHttp: (app) => app.use(json({ limit: config.maxBodyBytes })),
});
