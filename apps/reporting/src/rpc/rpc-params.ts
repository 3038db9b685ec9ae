import { z } from 'zod';
import { nodeIdSchema, outpointSchema, sourceNameSchema, txidSchema } from '@bkpr/contracts';
import { checkClnParams, CLN_COMMAND_PARAMS, CLN_INVALID_TOKEN, parseReportFormat, REPORT_ESCAPES, ReportFormatError } from '@bkpr/domain';
import { RPC_ERRORS, RpcError } from './rpc-error.js';

const nodeId = z.union([nodeIdSchema, sourceNameSchema]).optional();
/** A time as CLN's query binds it (checkClnParams: an int64, so a u64 of 2^63 and above is negative). */
const time = z.number().int();
/** Ours: pages of at most `limit` rows; `cursor` is the previous answer's `next_cursor`. */
const page = { limit: z.number().int().min(1).max(100_000).optional(), cursor: z.string().regex(/^\d{1,12}$/, 'expected a next_cursor of an earlier answer').optional() };
/** CLN's param_bool: the JSON literals only (checkClnParams refuses the rest first). */
const flag = z.boolean();

/**
 * A string as CLN's param_escaped_string takes it: it refuses `\u` escapes. We see the
 * string decoded, so we catch what only a `\u` can carry: control characters other than
 * those JSON writes as `\b` `\t` `\n` `\f` `\r`.
 */
const notEscapedString = `should be a string (without \\u)${CLN_INVALID_TOKEN}`;
const clnString = z
  .string({ error: (issue) => (issue.input === undefined ? 'missing required parameter' : notEscapedString) })
  .refine((s) => ![...s].some((c) => c < ' ' && !'\b\t\n\f\r'.includes(c)), notEscapedString);
/** A `bkpr-report` format, refused with CLN's reason (`Unknown tag nope`, `Unterminated tag`). */
const reportFormat = clnString.superRefine((format, ctx) => {
  try {
    parseReportFormat(format);
  } catch (error) {
    if (!(error instanceof ReportFormatError)) throw error;
    ctx.addIssue({ code: 'custom', message: `${error.message}${CLN_INVALID_TOKEN}` });
  }
});

/** A CLN command's params in its declaration order (`lightning-cli`'s positional order). */
function clnPositional(method: string): readonly string[] {
  return CLN_COMMAND_PARAMS[method]!.map((p) => p.name);
}

/**
 * Each command's params as CLN names them (plus ours: `node_id`, …), and their positional
 * order for callers that pass an array as `lightning-cli` does. CLN's commands are first
 * checked as CLN checks them (checkClnParams), which gives these schemas its values; the
 * schemas check ours and our limits.
 */
export const RPC_METHODS = {
  /** `end_time` (ours): balances as they were then. */
  listbalances: { positional: clnPositional('listbalances'), schema: z.object({ node_id: nodeId, end_time: time.optional() }).strict() },
  /** Ours: what does not add up in the facts (CLN's plugin would stop on it). */
  listproblems: { positional: [], schema: z.object({ node_id: nodeId }).strict() },
  listaccountevents: {
    positional: clnPositional('listaccountevents'),
    schema: z.object({ node_id: nodeId, account: z.string().optional(), payment_id: txidSchema.optional(), ...page }).strict(),
  },
  inspect: { positional: clnPositional('inspect'), schema: z.object({ node_id: nodeId, account: z.string() }).strict() },
  listincome: {
    positional: clnPositional('listincome'),
    schema: z.object({ node_id: nodeId, consolidate_fees: flag.optional(), start_time: time.optional(), end_time: time.optional(), ...page }).strict(),
  },
  dumpincomecsv: {
    positional: clnPositional('dumpincomecsv'),
    schema: z
      .object({ node_id: nodeId, csv_format: z.string(), csv_file: z.string().max(255).optional(), consolidate_fees: flag.optional(), start_time: time.optional(), end_time: time.optional() })
      .strict(),
  },
  /** Newer CLN's report: one line per income row (fees consolidated within the window) from `format`. */
  report: {
    positional: ['format', 'headers', 'escape', 'start_time', 'end_time'],
    schema: z
      .object({
        node_id: nodeId,
        format: reportFormat,
        headers: z.array(clnString, { error: `should be an array${CLN_INVALID_TOKEN}` }).optional(),
        escape: z.enum(REPORT_ESCAPES, { error: `should be \`csv\` or \`none\`${CLN_INVALID_TOKEN}` }).optional(),
        start_time: time.optional(),
        end_time: time.optional(),
      })
      .strict(),
  },
  channelsapy: {
    positional: clnPositional('channelsapy'),
    schema: z.object({ node_id: nodeId, start_time: time.optional(), end_time: time.optional(), current_blockheight: z.number().int().nonnegative().optional() }).strict(),
  },
  editdescriptionbypaymentid: {
    positional: clnPositional('editdescriptionbypaymentid'),
    schema: z.object({ node_id: nodeId, payment_id: txidSchema, description: z.string().max(10_000) }).strict(),
  },
  editdescriptionbyoutpoint: {
    positional: clnPositional('editdescriptionbyoutpoint'),
    schema: z.object({ node_id: nodeId, outpoint: outpointSchema, description: z.string().max(10_000) }).strict(),
  },
} as const;

export type RpcMethod = keyof typeof RPC_METHODS;
export type RpcParams<M extends RpcMethod> = z.output<(typeof RPC_METHODS)[M]['schema']>;

export function isRpcMethod(name: string): name is RpcMethod {
  return Object.hasOwn(RPC_METHODS, name);
}

/** Positional arrays become named params, in CLN's order. */
export function namedParams(method: RpcMethod, params: unknown): unknown {
  if (!Array.isArray(params)) return params ?? {};
  const names = RPC_METHODS[method].positional as readonly string[];
  return Object.fromEntries(params.map((value, i) => [names[i] ?? `#${i}`, value]).filter(([, value]) => value !== null && value !== undefined));
}

/**
 * Named or positional params: a CLN command's as CLN checks them (its error, code and text),
 * then against the command's schema; a CLN-style −32602 otherwise.
 */
export function parseParams<M extends RpcMethod>(method: M, body: unknown): z.output<(typeof RPC_METHODS)[M]['schema']> {
  let named: unknown;
  if (Object.hasOwn(CLN_COMMAND_PARAMS, method)) {
    const checked = checkClnParams(method, body);
    if (!checked.ok) throw new RpcError(checked.code, checked.message);
    named = checked.value;
  } else {
    named = namedParams(method, body);
  }
  const parsed = RPC_METHODS[method].schema.safeParse(named);
  if (parsed.success) return parsed.data as z.output<(typeof RPC_METHODS)[M]['schema']>;
  const issue = parsed.error.issues[0]!;
  throw new RpcError(RPC_ERRORS.invalidParams, `${issue.path.join('.') || 'params'}: ${issue.message}`);
}
