import { HttpException, HttpStatus } from '@nestjs/common';

/** CLN's JSON-RPC error codes that bkpr commands answer with. */
export const RPC_ERRORS = {
  methodNotFound: -32601,
  invalidParams: -32602,
  unknownAccount: -1,
} as const;

/** A CLN-style `{code, message}` error with a 4xx status. */
export class RpcError extends HttpException {
  constructor(code: number, message: string, status: HttpStatus = HttpStatus.BAD_REQUEST) {
    super({ code, message }, status);
  }
}
