import { Global, Inject, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { NatsClient, provisionStreams } from '@bkpr/messaging';
import type { BaseConfig } from './config.js';
import { SERVICE_CONFIG } from './tokens.js';

/** The service's NATS connection, with the namespace's streams provisioned. */
@Global()
@Module({})
export class BusModule implements OnApplicationShutdown {
  constructor(@Inject(NatsClient) private readonly nats: NatsClient) {}

  static forRoot(): DynamicModule {
    return {
      module: BusModule,
      providers: [
        {
          provide: NatsClient,
          inject: [SERVICE_CONFIG],
          useFactory: async (config: BaseConfig) => {
            const nats = await NatsClient.connect({ url: config.natsUrl, namespace: config.namespace, name: `bkpr-${config.service}`, auth: config.natsAuth });
            await provisionStreams(nats.jsm, nats.names, { replicas: config.streamReplicas });
            return nats;
          },
        },
      ],
      exports: [NatsClient],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.nats.close();
  }
}
