import type { ServerResponse } from 'node:http';
import { Logger } from '@nestjs/common';
import { answerPieces, utf8Pieces, writeAnswer } from './answer-writer.js';
import { StreamedJson, stringifyJson } from './bigint-json.js';

/** What of Express's response the answers use. */
export interface AnswerResponse extends ServerResponse {
  type(type: string): unknown;
  send(body: string): unknown;
}

/** Text answers (a CSV file) are written in pieces of this size, as JSON answers are (StreamedJson.chunks). */
const TEXT_PIECE_BYTES = 64 * 1024;

const logger = new Logger('Answer');

/**
 * A handler's answer through stringifyJson (so it may hold bigint msat), for a handler that owns
 * its response (`@Res()`): a StreamedJson as it is encoded, chunked, in pieces used again once
 * sent (writeAnswer; what the BigIntJsonInterceptor this replaces sent through a
 * StreamableFile, a fresh buffer a piece); anything else with Express's send (Content-Length,
 * ETag), as Nest sent the interceptor's string.
 */
export async function sendJson(res: AnswerResponse, body: unknown): Promise<void> {
  if (typeof body === 'string' || body === undefined) {
    res.send(body as string);
    return;
  }
  res.type('application/json');
  if (body instanceof StreamedJson) return sendPieces(res, body.chunks(answerPieces.allocate));
  res.send(stringifyJson(body));
}

/** Text given in pieces (a CSV file, headers set) as the body, in pieces used again once sent. */
export function sendText(res: AnswerResponse, texts: Iterable<string>): Promise<void> {
  return sendPieces(res, utf8Pieces(texts, answerPieces.allocate, TEXT_PIECE_BYTES));
}

/** Before the first byte a failure goes to the exception filters; after, the response is cut (writeAnswer) and the failure logged. */
async function sendPieces(res: AnswerResponse, pieces: Iterable<Uint8Array>): Promise<void> {
  try {
    await writeAnswer(res, pieces, answerPieces);
  } catch (error) {
    if (!res.headersSent) throw error;
    logger.error({ err: error, msg: 'answer failed after its first byte: response cut' });
  }
}
