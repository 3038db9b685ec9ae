import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { busNames, type BusNames } from '@bkpr/contracts';

export class NatsUnreachableError extends Error {
  constructor(readonly url: string, cause: unknown) {
    super(`NATS is unreachable at ${url}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'NatsUnreachableError';
  }
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

  static async connect(options: { url: string; namespace: string; name: string }): Promise<NatsClient> {
    let connection: NatsConnection;
    try {
      connection = await connect({
        servers: options.url,
        name: options.name,
        timeout: 5_000,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 1_000,
      });
    } catch (error) {
      throw new NatsUnreachableError(options.url, error);
    }
    const jsm = await jetstreamManager(connection, { timeout: 10_000 });
    const client = new NatsClient(connection, jetstream(connection, { timeout: 10_000 }), jsm, busNames(options.namespace));
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
