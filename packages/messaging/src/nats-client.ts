import { readFileSync } from 'node:fs';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { busNames, type BusNames } from '@bkpr/contracts';

export class NatsUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`NATS is unreachable at ${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'NatsUnreachableError';
  }
}

/** How long JetStream calls wait for their answer (publishAll's PubAcks too): past it, they fail. */
export const JETSTREAM_TIMEOUT_MS = 10_000;

/** How a service proves who it is to NATS (infra gives each service its own user). */
export interface NatsAuth {
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** A `.creds` file (JWT + nkey seed). */
  readonly credsFile?: string | undefined;
}

function authOptions(auth: NatsAuth | undefined): Record<string, unknown> {
  if (auth?.credsFile) return { authenticator: credsAuthenticator(readFileSync(auth.credsFile)) };
  if (auth?.user) return { user: auth.user, pass: auth.password ?? '' };
  return {};
}

/** One NATS connection of a service, with its JetStream handles and the namespace's names. */
export class NatsClient {
  private connected = true;

  private constructor(
    readonly connection: NatsConnection,
    readonly js: JetStreamClient,
    readonly jsm: JetStreamManager,
    readonly names: BusNames,
  ) {}

  static async connect(options: { url: string; namespace: string; name: string; auth?: NatsAuth }): Promise<NatsClient> {
    let connection: NatsConnection;
    try {
      connection = await connect({
        ...authOptions(options.auth),
        servers: options.url,
        name: options.name,
        timeout: 5_000,
        maxReconnectAttempts: -1,
        // nats.js otherwise builds two Error objects (with stack traces) per request: per JetStream publish.
        noAsyncTraces: true,
        reconnectTimeWait: 1_000,
      });
    } catch (error) {
      throw new NatsUnreachableError(options.url, error);
    }
    const jsm = await jetstreamManager(connection, { timeout: JETSTREAM_TIMEOUT_MS });
    const client = new NatsClient(connection, jetstream(connection, { timeout: JETSTREAM_TIMEOUT_MS }), jsm, busNames(options.namespace));
    void client.followStatus();
    return client;
  }

  /**
   * False while the connection is down and reconnecting. Publishers fail fast then instead of
   * letting the client buffer messages it may deliver after the caller was told "not stored".
   */
  get isConnected(): boolean {
    return this.connected && !this.connection.isClosed();
  }

  private async followStatus(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect') this.connected = false;
      if (status.type === 'reconnect') this.connected = true;
    }
  }

  /** Round-trip to the server; throws when the connection cannot serve. */
  async ping(): Promise<number> {
    if (this.connection.isClosed()) throw new Error('NATS connection is closed');
    return this.connection.rtt();
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }
}
