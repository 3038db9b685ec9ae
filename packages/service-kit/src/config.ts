import { z } from 'zod';
import { DEFAULT_NAMESPACE, isValidNamespace } from '@bkpr/contracts';
import { defaultDatabaseUrl } from '@bkpr/persistence';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const url = (protocols: readonly string[]) =>
  z.string().refine((value) => {
    try {
      return protocols.includes(new URL(value).protocol);
    } catch {
      return false;
    }
  }, `expected a ${protocols.map((p) => p.replace(':', '://')).join(' or ')} URL`);

export const portSchema = z.coerce.number().int('expected an integer port').min(1, 'expected a port 1-65535').max(65535, 'expected a port 1-65535');

/** The variables every service reads. Each service extends this in its own config.ts. */
export const baseEnvSchema = z.object({
  BKPR_NAMESPACE: z
    .string()
    .default(DEFAULT_NAMESPACE)
    .refine(isValidNamespace, 'expected lower-case letters, digits and _ (max 40), starting with a letter'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  NATS_URL: url(['nats:', 'tls:']).default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().optional(),
  /** Path of a NATS `.creds` file; wins over NATS_USER. */
  NATS_CREDS_FILE: z.string().min(1).optional(),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
  /** 1 on one host; 3 in a JetStream cluster. */
  BKPR_STREAM_REPLICAS: z.coerce.number().int().min(1).max(5).default(1),
});

export interface BaseConfig {
  readonly service: string;
  readonly namespace: string;
  readonly databaseUrl: string;
  readonly natsUrl: string;
  readonly natsAuth: { readonly user?: string | undefined; readonly password?: string | undefined; readonly credsFile?: string | undefined };
  readonly logLevel: (typeof LOG_LEVELS)[number];
  readonly streamReplicas: number;
  readonly port: number;
}

export function baseConfig(service: string, env: z.output<typeof baseEnvSchema>, port: number): BaseConfig {
  return {
    service,
    namespace: env.BKPR_NAMESPACE,
    databaseUrl: env.DATABASE_URL ?? defaultDatabaseUrl(env.BKPR_NAMESPACE),
    natsUrl: env.NATS_URL,
    natsAuth: { user: env.NATS_USER, password: env.NATS_PASSWORD, credsFile: env.NATS_CREDS_FILE },
    logLevel: env.LOG_LEVEL,
    streamReplicas: env.BKPR_STREAM_REPLICAS,
    port,
  };
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/**
 * Validates `env` against `schema` and builds the typed, frozen config. A bad value throws
 * a ConfigError whose message is one line naming every variable at fault.
 */
export function parseConfig<S extends z.ZodType, C>(schema: S, env: NodeJS.ProcessEnv, build: (parsed: z.output<S>) => C): Readonly<C> {
  const result = schema.safeParse(withoutEmpty(env));
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  return Object.freeze(build(result.data));
}

/** For main.ts: print the one line and stop, instead of a stack trace. */
export function loadConfigOrExit<S extends z.ZodType, C>(schema: S, build: (parsed: z.output<S>) => C): Readonly<C> {
  try {
    return parseConfig(schema, process.env, build);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}

/** An empty variable (`PORT=`) means "not set", as a shell user expects. */
function withoutEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

/** What a service that consumes a stream adds (ledger, reconciler). */
export const consumerEnvFields = {
  /** Deliveries of one message before it is dead-lettered. */
  BKPR_MAX_DELIVER: z.coerce.number().int().min(1).max(100).default(5),
  /** How long a delivered message may stay unacknowledged before JetStream redelivers it. */
  BKPR_ACK_WAIT_MS: z.coerce.number().int().min(1_000).max(600_000).default(30_000),
};

export const batchSizeSchema = z.coerce.number().int().min(1).max(10_000).default(500);

export interface ConsumerConfig extends BaseConfig {
  readonly batchSize: number;
  readonly maxDeliver: number;
  readonly ackWaitMs: number;
}

export function consumerConfig(service: string, env: z.output<typeof baseEnvSchema> & { BKPR_MAX_DELIVER: number; BKPR_ACK_WAIT_MS: number }, port: number, batchSize: number): ConsumerConfig {
  return { ...baseConfig(service, env, port), batchSize, maxDeliver: env.BKPR_MAX_DELIVER, ackWaitMs: env.BKPR_ACK_WAIT_MS };
}
