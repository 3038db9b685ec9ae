import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '@bkpr/service-kit';
import { buildGatewayConfig, gatewayEnvSchema } from './config.js';

const config = (env: Record<string, string>) => parseConfig(gatewayEnvSchema, env, buildGatewayConfig);

describe('the gateway checks bodies with', () => {
  it('as many worker threads as the CPUs it may run on, at most 4, unless told', () => {
    expect(config({}).checkWorkers).toBe(Math.min(4, availableParallelism()));
  });

  it('BKPR_INGEST_WORKERS threads when set (a pod sets its CPU limit: the node may have more cores)', () => {
    expect(config({ BKPR_INGEST_WORKERS: '1' }).checkWorkers).toBe(1);
    expect(config({ BKPR_INGEST_WORKERS: '8' }).checkWorkers).toBe(8);
  });

  it('refuses a count that is not a whole number from 1 to 64, naming the variable', () => {
    for (const bad of ['0', '1.5', 'two', '65']) {
      expect(() => config({ BKPR_INGEST_WORKERS: bad })).toThrow(ConfigError);
      expect(() => config({ BKPR_INGEST_WORKERS: bad })).toThrow(/BKPR_INGEST_WORKERS/);
    }
  });
});
