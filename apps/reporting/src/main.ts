import { loadConfigOrExit, startService } from '@bkpr/service-kit';
import { AppModule } from './app.module.js';
import { buildReportingConfig, reportingEnvSchema } from './config.js';
import { reportingOpenApiDocument } from './rpc/openapi.js';

const config = loadConfigOrExit(reportingEnvSchema, buildReportingConfig);
await startService({ config, module: AppModule.forRoot(config), apiDocument: reportingOpenApiDocument });
