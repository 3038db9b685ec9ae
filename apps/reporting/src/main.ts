import './v8-flags.js';
import { loadConfigOrExit, startService } from '@bkpr/service-kit';
import { AppModule } from './app.module.js';
import { buildReportingConfig, reportingEnvSchema } from './config.js';

const config = loadConfigOrExit(reportingEnvSchema, buildReportingConfig);
// zod-to-openapi and the document's schemas are loaded on the first request of /docs or /openapi.json.
const apiDocument = async () => (await import('./rpc/openapi.js')).reportingOpenApiDocument();
await startService({ config, module: AppModule.forRoot(config), apiDocument });
