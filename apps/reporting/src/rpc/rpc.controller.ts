import { Body, Controller, Get, Headers, HttpCode, HttpException, HttpStatus, Inject, Param, Post, Query, Res, UseInterceptors } from '@nestjs/common';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Response } from 'express';
import { BigIntJsonInterceptor, textChunks } from '@bkpr/service-kit';
import { RpcService } from './rpc.service.js';
import { ReadAccessService } from './read-access.service.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { isRpcMethod, parseParams } from './rpc-params.js';

/** `POST /v1/rpc/<method>`: CLN's bkpr commands by name, with or without `bkpr-`, params named or positional. */
@Controller('v1')
@UseInterceptors(BigIntJsonInterceptor)
export class RpcController {
  constructor(
    @Inject(RpcService) private readonly rpc: RpcService,
    @Inject(ReadAccessService) private readonly access: ReadAccessService,
  ) {}

  @Post('rpc/:method')
  @HttpCode(HttpStatus.OK)
  async call(
    @Param('method') method: string,
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ) {
    const name = method.replace(/^bkpr-/, '');
    if (!isRpcMethod(name)) throw new RpcError(RPC_ERRORS.methodNotFound, `Unknown command '${method}'`, HttpStatus.NOT_FOUND);
    try {
      return await this.rpc.call(name, this.access.scope(authorization, parseParams(name, body)));
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', '2');
      throw error;
    }
  }

  /** The income statement as a CSV file: `?format=koinly&consolidate_fees=false&node_id=…`. */
  @Get('income.csv')
  async incomeCsv(@Query() query: Record<string, string>, @Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const { format, ...rest } = query;
    const params = this.access.scope(authorization, parseParams('dumpincomecsv', {
      ...rest,
      csv_format: format ?? rest['csv_format'],
      ...(rest['start_time'] !== undefined ? { start_time: Number(rest['start_time']) } : {}),
      ...(rest['end_time'] !== undefined ? { end_time: Number(rest['end_time']) } : {}),
    }));
    const csv = await this.rpc.incomeCsv(params);
    res.type('text/csv').attachment(params.csv_file ?? `income_${params.csv_format}.csv`);
    // Streamed as it is written: a big statement never exists as one string.
    await pipeline(Readable.from(textChunks(csv)), res);
  }

  @Get('balances')
  balances(@Headers('authorization') authorization: string | undefined, @Query('node_id') nodeId?: string) {
    return this.rpc.call('listbalances', this.access.scope(authorization, parseParams('listbalances', nodeId ? { node_id: nodeId } : {})));
  }
}
