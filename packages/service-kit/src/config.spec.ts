import { describe, expect, it } from 'vitest';
import { baseConfig, baseEnvSchema, ConfigError, parseConfig, portSchema } from './config.js';

const schema = baseEnvSchema.extend({ TEST_PORT: portSchema.optional() });
const build = (env: ReturnType<typeof schema.parse>) => baseConfig('test', env, env.TEST_PORT ?? 4000);

describe('parseConfig', () => {
  it('applies the defaults; the database is named after the namespace', () => {
    const config = parseConfig(schema, {}, build);
    expect(config).toEqual({
      service: 'test',
      namespace: 'bkpr',
      databaseUrl: 'postgres://postgres@127.0.0.1:5432/bkpr',
      natsUrl: 'nats://127.0.0.1:4222',
      natsAuth: { user: undefined, password: undefined, credsFile: undefined },
      logLevel: 'info',
      streamReplicas: 1,
      port: 4000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('follows BKPR_NAMESPACE for the default database', () => {
    expect(parseConfig(schema, { BKPR_NAMESPACE: 'bkpr_t7' }, build).databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/bkpr_t7');
  });

  it('treats an empty variable as unset', () => {
    expect(parseConfig(schema, { TEST_PORT: '' }, build).port).toBe(4000);
  });

  it.each([
    [{ TEST_PORT: 'eighty' }, 'TEST_PORT'],
    [{ TEST_PORT: '70000' }, 'TEST_PORT'],
    [{ DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL'],
    [{ NATS_URL: 'not a url' }, 'NATS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ BKPR_NAMESPACE: 'Has-Caps' }, 'BKPR_NAMESPACE'],
  ])('rejects %j with one line naming %s', (env, variable) => {
    expect(() => parseConfig(schema, env, build)).toThrow(ConfigError);
    try {
      parseConfig(schema, env, build);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(new RegExp(`^invalid configuration: ${variable}: `));
      expect(message).not.toContain('\n');
    }
  });
});
