import { Body, Controller, Get, Headers, HttpCode, HttpException, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { sendJson, sendText } from '@bkpr/service-kit';
import { RpcService } from './rpc.service.js';
import { ReadAccessService } from './read-access.service.js';
import { RPC_ERRORS, RpcError } from './rpc-error.js';
import { isRpcMethod, type RpcMethod } from './rpc-params.js';

/**
 * `POST /v1/rpc/<method>`: CLN's bkpr commands by name, with or without `bkpr-`, params named or positional.
 * Each handler writes its answer (sendJson, sendText): a big one in a few pieces used again as
 * they are sent, with the client's pace; a failure before the first byte goes to Nest's filters.
 */
@Controller('v1')
export class RpcController {
  constructor(
    @Inject(RpcService) private readonly rpc: RpcService,
    @Inject(ReadAccessService) private readonly access: ReadAccessService,
  ) {}

  @Post('rpc/:method')
  @HttpCode(HttpStatus.OK)
  call(
    @Param('method') method: string,
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ) {
    const name = method.replace(/^bkpr-/, '');
    if (!isRpcMethod(name)) throw new RpcError(RPC_ERRORS.methodNotFound, `Unknown command '${method}'`, HttpStatus.NOT_FOUND);
    return this.answer(name, body, authorization, res);
  }

  /** The income statement as a CSV file: `?format=koinly&consolidate_fees=false&node_id=…`. */
  @Get('income.csv')
  async incomeCsv(@Query() query: Record<string, string>, @Headers('authorization') authorization: string | undefined, @Res() res: Response): Promise<void> {
    const { format, ...rest } = query;
    const params = this.access.params('dumpincomecsv', { ...fromQuery(rest), csv_format: format ?? rest['csv_format'] }, authorization);
    const csv = await this.rpc.incomeCsv(params);
    res.type('text/csv').attachment(params.csv_file ?? `income_${params.csv_format}.csv`);
    // Streamed as it is written: a big statement never exists as one string.
    await sendText(res, csv);
  }

  // Friendly GETs for dashboards: the same answers as the commands, params in the query string.

  /** `bkpr-listbalances`: `?node_id=&end_time=` */
  @Get('balances')
  balances(@Query() query: Record<string, string>, @Headers('authorization') authorization: string | undefined, @Res() res: Response) {
    return this.answer('listbalances', fromQuery(query), authorization, res);
  }

  /** `bkpr-listincome`: `?node_id=&consolidate_fees=&start_time=&end_time=&limit=&cursor=` */
  @Get('income')
  income(@Query() query: Record<string, string>, @Headers('authorization') authorization: string | undefined, @Res() res: Response) {
    return this.answer('listincome', fromQuery(query), authorization, res);
  }

  /** `bkpr-listaccountevents` of one account: `?node_id=&limit=&cursor=` */
  @Get('accounts/:account/events')
  accountEvents(
    @Param('account') account: string,
    @Query() query: Record<string, string>,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ) {
    return this.answer('listaccountevents', { ...fromQuery(query), account }, authorization, res);
  }

  /** `bkpr-inspect` of a channel account: `?node_id=` */
  @Get('accounts/:account/inspect')
  inspect(
    @Param('account') account: string,
    @Query() query: Record<string, string>,
    @Headers('authorization') authorization: string | undefined,
    @Res() res: Response,
  ) {
    return this.answer('inspect', { ...fromQuery(query), account }, authorization, res);
  }

  /** `bkpr-channelsapy`: `?node_id=&start_time=&end_time=&current_blockheight=` */
  @Get('channels/apy')
  channelsApy(@Query() query: Record<string, string>, @Headers('authorization') authorization: string | undefined, @Res() res: Response) {
    return this.answer('channelsapy', fromQuery(query), authorization, res);
  }

  /** `bkpr-listproblems`: `?node_id=` */
  @Get('problems')
  problems(@Query() query: Record<string, string>, @Headers('authorization') authorization: string | undefined, @Res() res: Response) {
    return this.answer('listproblems', fromQuery(query), authorization, res);
  }

  private async answer(method: RpcMethod, params: unknown, authorization: string | undefined, res: Response): Promise<void> {
    let body;
    try {
      body = await this.rpc.call(method, this.access.params(method, params, authorization));
    } catch (error) {
      if (error instanceof HttpException && error.getStatus() === HttpStatus.SERVICE_UNAVAILABLE) res.setHeader('Retry-After', '2');
      throw error;
    }
    await sendJson(res, body);
  }
}

/** Numeric params of the friendly GETs: query strings carry them as text. */
const NUMERIC_PARAMS = new Set(['start_time', 'end_time', 'limit', 'current_blockheight']);

/** A query string as command params: numbers and flags where the command takes them (others are checked as given). */
function fromQuery(query: Record<string, string>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(query).map(([k, v]) => [k, NUMERIC_PARAMS.has(k) && /^\d{1,15}$/.test(v) ? Number(v) : k === 'consolidate_fees' && (v === 'true' || v === 'false') ? v === 'true' : v]));
}
