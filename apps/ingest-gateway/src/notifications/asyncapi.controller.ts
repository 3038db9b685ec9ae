import { Controller, Get, Inject } from '@nestjs/common';
import { asyncApiDocument } from '@bkpr/contracts';
import { SERVICE_CONFIG, type BaseConfig } from '@bkpr/service-kit';

/** The AsyncAPI document of this namespace's subjects. */
@Controller()
export class AsyncApiController {
  private readonly document: Record<string, unknown>;

  constructor(@Inject(SERVICE_CONFIG) config: BaseConfig) {
    this.document = asyncApiDocument(config.namespace);
  }

  @Get('asyncapi.json')
  get(): Record<string, unknown> {
    return this.document;
  }
}
