#!/usr/bin/env node
/** `npm run migrate`: creates the namespace's database if missing and applies pending migrations. */
import { DEFAULT_NAMESPACE, isValidNamespace } from '@bkpr/contracts';
import { migrateDatabase } from '../database.js';
import { defaultDatabaseUrl, redactUrl } from '../database-url.js';

const namespace = process.env['BKPR_NAMESPACE'] || DEFAULT_NAMESPACE;
if (!isValidNamespace(namespace)) {
  console.error(`BKPR_NAMESPACE: "${namespace}" is not a valid namespace (lower-case letters, digits, _)`);
  process.exit(1);
}
const databaseUrl = process.env['DATABASE_URL'] || defaultDatabaseUrl(namespace);
try {
  const applied = await migrateDatabase(databaseUrl);
  console.log(
    applied.length
      ? `migrated ${redactUrl(databaseUrl)}: ${applied.join(', ')}`
      : `database ${redactUrl(databaseUrl)} is up to date`,
  );
} catch (error) {
  console.error(`migration of ${redactUrl(databaseUrl)} failed: ${(error as Error).message}`);
  process.exit(1);
}
