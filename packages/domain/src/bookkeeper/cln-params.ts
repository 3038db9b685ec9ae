import { CSV_FORMATS, isCsvFormat } from './csv.js';
import { RPC_INVALID_PARAMS, type QueryResult } from './queries.js';
import { CLN_INVALID_TOKEN } from './report.js';

/**
 * How the bkpr commands of CLN's plugin (f36be4b006, plugins/bkpr/bookkeeper.c) read their
 * params, re-told: common/json_param.c walks named params in the order they were sent, runs
 * each one's check as it meets it (the first failure answers), refuses names it does not
 * know, and only then asks for the required ones that never came; positional params go in
 * declaration order, a `null` there counting as absent (named, a `null` is checked as sent).
 */
type ParamKind = 'string' | 'u64' | 'bool' | 'sha256' | 'outpoint' | 'csv_format';

interface ParamSpec {
  readonly name: string;
  readonly kind: ParamKind;
  readonly required: boolean;
}

const req = (name: string, kind: ParamKind): ParamSpec => ({ name, kind, required: true });
const opt = (name: string, kind: ParamKind): ParamSpec => ({ name, kind, required: false });

/** Each command's params, in CLN's declaration order (its positional order). */
export const CLN_COMMAND_PARAMS: Readonly<Record<string, readonly ParamSpec[]>> = {
  listbalances: [],
  listaccountevents: [opt('account', 'string'), opt('payment_id', 'sha256')],
  inspect: [req('account', 'string')],
  listincome: [opt('consolidate_fees', 'bool'), opt('start_time', 'u64'), opt('end_time', 'u64')],
  dumpincomecsv: [req('csv_format', 'csv_format'), opt('csv_file', 'string'), opt('consolidate_fees', 'bool'), opt('start_time', 'u64'), opt('end_time', 'u64')],
  channelsapy: [opt('start_time', 'u64'), opt('end_time', 'u64')],
  editdescriptionbypaymentid: [req('payment_id', 'sha256'), req('description', 'string')],
  editdescriptionbyoutpoint: [req('outpoint', 'outpoint'), req('description', 'string')],
};

/** Ours, beside CLN's params (named only): passed on unchecked here, for the caller to check. */
const OUR_EXTRA_PARAMS: Readonly<Record<string, readonly string[]>> = {
  listbalances: ['node_id', 'end_time'],
  listaccountevents: ['node_id', 'limit', 'cursor'],
  inspect: ['node_id'],
  listincome: ['node_id', 'limit', 'cursor'],
  dumpincomecsv: ['node_id'],
  channelsapy: ['node_id', 'current_blockheight'],
  editdescriptionbypaymentid: ['node_id'],
  editdescriptionbyoutpoint: ['node_id'],
};

/** A bad param as CLN words it outside developer mode (common/json_command.c, command_fail_badparam). */
function badParamMessage(name: string, reason: string): string {
  return `${name}: ${reason}${CLN_INVALID_TOKEN}`;
}

/** param_csv_format's reason: CLN's four formats, quoted, in its order. */
const CSV_FORMAT_REASON = `should be one of: ${CSV_FORMATS.map((f) => `"${f}"`).join(',')}`;

const REASONS: Record<Exclude<ParamKind, 'string'>, string> = {
  u64: 'should be an unsigned 64 bit integer',
  bool: "should be 'true' or 'false'",
  sha256: 'should be a 32 byte hex value',
  outpoint: 'should be a txid:outnum',
  csv_format: CSV_FORMAT_REASON,
};

const U64_LIMIT = 1n << 64n;
const U32_MAX = 0xffff_ffffn;
const HEX_32_BYTES = /^[0-9a-fA-F]{64}$/;

/**
 * A token's text as strtoull(…, 0) reads it to its very end (json_to_u64): optional leading
 * space and sign, then decimal, `0x` hex or `0` octal; the empty text is 0. A `-` wraps
 * modulo 2^64 as C does; beyond 2^64 − 1 it fails (ERANGE).
 */
function strtoullWhole(text: string): bigint | null {
  if (text === '') return 0n;
  const m = /^[\t\n\v\f\r ]*([+-]?)(0[xX][0-9a-fA-F]+|[1-9][0-9]*|0[0-7]*)$/.exec(text);
  if (!m) return null;
  const digits = m[2]!;
  const magnitude = /^0[0-7]+$/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (magnitude >= U64_LIMIT) return null;
  return m[1] === '-' ? (U64_LIMIT - magnitude) % U64_LIMIT : magnitude;
}

/** The text between a token's quotes, or a primitive's text, as CLN's checks see it. */
function tokenText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

/** A u64 param as its SQL query sees it: db_bind_u64 binds it as an int64, so 2^63 and above wrap negative. */
function u64Param(value: unknown): number | null {
  let u64: bigint | null;
  if (typeof value === 'number') u64 = Number.isInteger(value) ? strtoullWhole(BigInt(value).toString()) : null;
  else if (typeof value === 'string') u64 = strtoullWhole(value);
  else u64 = null;
  if (u64 === null) return null;
  return Number(BigInt.asIntN(64, u64));
}

function outpointParam(value: unknown): string | null {
  const text = tokenText(value);
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const txid = text.slice(0, colon);
  const outnum = strtoullWhole(text.slice(colon + 1));
  if (!HEX_32_BYTES.test(txid) || outnum === null || outnum > U32_MAX) return null;
  return `${txid.toLowerCase()}:${outnum}`;
}

/** One param's value as the command uses it, or null where CLN refuses it. */
function checkOne(kind: ParamKind, value: unknown): { value: unknown } | null {
  switch (kind) {
    case 'string':
      return { value: tokenText(value) };
    case 'u64': {
      const n = u64Param(value);
      return n === null ? null : { value: n };
    }
    case 'bool':
      return typeof value === 'boolean' ? { value } : null;
    case 'sha256': {
      const text = tokenText(value);
      return HEX_32_BYTES.test(text) ? { value: text.toLowerCase() } : null;
    }
    case 'outpoint': {
      const outpoint = outpointParam(value);
      return outpoint === null ? null : { value: outpoint };
    }
    case 'csv_format':
      // Ours too: the strict variants of two formats.
      return typeof value === 'string' && isCsvFormat(value) ? { value } : null;
  }
}

const invalid = (message: string): QueryResult<never> => ({ ok: false, code: RPC_INVALID_PARAMS, message });

/**
 * A bkpr command's params, named (an object) or positional (an array), checked as CLN checks
 * them: the values as the command uses them (times as numbers, ids in lower case, outpoints
 * as `txid:n`), or CLN's error. Our own params (OUR_EXTRA_PARAMS) are passed on as sent. A command
 * CLN does not have is not checked here.
 */
export function checkClnParams(method: string, sent: unknown): QueryResult<Record<string, unknown>> {
  const specs = CLN_COMMAND_PARAMS[method];
  const extras = OUR_EXTRA_PARAMS[method] ?? [];
  if (specs === undefined) return { ok: true, value: (sent ?? {}) as Record<string, unknown> };
  const out: Record<string, unknown> = {};
  const take = (spec: ParamSpec, value: unknown): QueryResult<never> | null => {
    const checked = checkOne(spec.kind, value);
    if (checked === null) return invalid(badParamMessage(spec.name, REASONS[spec.kind as Exclude<ParamKind, 'string'>]));
    out[spec.name] = checked.value;
    return null;
  };
  if (Array.isArray(sent)) {
    if (sent.length > specs.length) return invalid(`too many parameters: got ${sent.length}, expected ${specs.length}`);
    for (let i = 0; i < sent.length; i++) {
      if (sent[i] === null || sent[i] === undefined) continue;
      const failed = take(specs[i]!, sent[i]);
      if (failed) return failed;
    }
  } else if (sent === undefined || sent === null || typeof sent === 'object') {
    for (const [name, value] of Object.entries(sent ?? {})) {
      if (value === undefined) continue; // not JSON: a caller's absent optional
      const spec = specs.find((s) => s.name === name);
      if (spec === undefined) {
        if (!extras.includes(name)) {
          return invalid(
            `unknown parameter: ${name}, this may be caused by a failure to autodetect key=value-style parameters. Please try using the -k flag and explicit key=value pairs of parameters.`,
          );
        }
        out[name] = value;
        continue;
      }
      const failed = take(spec, value);
      if (failed) return failed;
    }
  } else {
    return invalid('Expected array or object for params');
  }
  for (const spec of specs) {
    if (spec.required && !Object.hasOwn(out, spec.name)) return invalid(`missing required parameter: ${spec.name}`);
  }
  return { ok: true, value: out };
}
