import { Body, Controller, HttpCode, HttpStatus, Inject, Param, Post, UseInterceptors } from '@nestjs/common';
import { z } from 'zod';
import { nodeIdSchema } from '@bkpr/contracts';
import { BigIntJsonInterceptor } from '@bkpr/service-kit';
import { BalancesService } from './balances.service.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';

const listBalancesParams = z.object({ node_id: nodeIdSchema.optional() }).strict();

/** `POST /v1/rpc/<method>`: CLN's bkpr commands by name, with or without the `bkpr-` prefix. */
@Controller('v1/rpc')
@UseInterceptors(BigIntJsonInterceptor)
export class RpcController {
  constructor(@Inject(BalancesService) private readonly balances: BalancesService) {}

  @Post(':method')
  @HttpCode(HttpStatus.OK)
  async call(@Param('method') method: string, @Body() body: unknown) {
    const name = method.replace(/^bkpr-/, '');
    switch (name) {
      case 'listbalances': {
        const params = parseParams(listBalancesParams, body);
        return this.balances.listBalances(params.node_id ?? null);
      }
      default:
        throw new RpcError(RPC_ERRORS.methodNotFound, `Unknown command '${method}'`, HttpStatus.NOT_FOUND);
    }
  }
}

function parseParams<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new RpcError(RPC_ERRORS.invalidParams, `${issue.path.join('.') || 'params'}: ${issue.message}`);
}
