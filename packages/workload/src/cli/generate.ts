#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { expectedToJson } from '../expected.js';
import { FORMAT_NAMES, type FormatName } from '../formats/index.js';
import { writeNdjson, writeNdjsonFile } from '../ndjson.js';
import type { WorkloadItem } from '../stream.js';
import { Workload, type WorkloadOptions } from '../workload.js';

const USAGE = `usage: node packages/workload/dist/cli/generate.js [options]

Writes a generated history of an organization of CLN nodes as NDJSON (one notification body
per line, exactly as CLN sends it) and the expected results as JSON.

  --seed <n|text>        seed (default 1)
  --nodes <n>            CLN nodes (default 2)
  --channels <n>         channels per node (default 4)
  --events <n>           notifications to generate, before re-sends (default 1000)
  --duplication <rate>   probability of an exact re-send, 0-1 (default 0)
  --reorder <n>          local shuffle window (default 0)
  --format <formats>     notification format of the nodes: one of ${FORMAT_NAMES.join(', ')}, or
                         weights per node, e.g. v2=3,newer=1 (default v2)
  --coin-type <hrp>      bc, tb, bcrt, ... (default bcrt)
  --start-time <unix>    time of the first block (default 1700000000)
  --notes                add a human-readable note to each line (as {"note", "body"}: not for the gateway)
  --out <file>           NDJSON to this file (default: stdout)
  --expected <file>      expected results to this file (default: stderr)
  -h, --help`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      nodes: { type: 'string' },
      channels: { type: 'string' },
      events: { type: 'string' },
      duplication: { type: 'string' },
      reorder: { type: 'string' },
      format: { type: 'string' },
      'coin-type': { type: 'string' },
      'start-time': { type: 'string' },
      notes: { type: 'boolean' },
      out: { type: 'string' },
      expected: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const options: WorkloadOptions = {
    seed: values.seed === undefined ? undefined : /^-?\d+$/.test(values.seed) ? Number(values.seed) : values.seed,
    nodes: int('--nodes', values.nodes),
    channelsPerNode: int('--channels', values.channels),
    targetEvents: int('--events', values.events),
    duplicationRate: rate('--duplication', values.duplication),
    reorderWindow: int('--reorder', values.reorder),
    formats: values.format === undefined ? undefined : formats(values.format),
    coinType: values['coin-type'],
    startTime: int('--start-time', values['start-time']),
    notes: values.notes,
  };
  const workload = new Workload(options);
  let items: Iterable<WorkloadItem> = workload;
  if (values.notes) {
    items = (function* () {
      for (const item of workload) yield { ...item, body: { note: item.note ?? '', body: item.body } };
    })();
  }
  const stats = values.out === undefined ? await writeNdjson(items, process.stdout) : await writeNdjsonFile(items, values.out);
  const expectedText = `${JSON.stringify(expectedToJson(workload.expected()), null, 2)}\n`;
  if (values.expected === undefined) process.stderr.write(expectedText);
  else writeFileSync(values.expected, expectedText);
  if (values.out !== undefined) process.stderr.write(`wrote ${stats.lines} notifications (${stats.bytes} bytes) to ${values.out}\n`);
}

function int(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text.replace(/_/g, ''))) throw new Error(`${flag}: expected a whole number, got "${text}"`);
  return Number(text.replace(/_/g, ''));
}

function rate(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^(0(\.\d+)?|1(\.0+)?)$/.test(text)) throw new Error(`${flag}: expected a number from 0 to 1, got "${text}"`);
  return Number(text);
}

/** `newer`, or weights per node: `v2=3,newer=1`. */
function formats(text: string): Partial<Record<FormatName, number>> {
  const weights: Partial<Record<FormatName, number>> = {};
  for (const part of text.split(',')) {
    const [name = '', weight] = part.split('=');
    if (!(FORMAT_NAMES as readonly string[]).includes(name)) throw new Error(`--format: expected one of ${FORMAT_NAMES.join(', ')}, got "${name}"`);
    if (weight !== undefined && !/^\d+(\.\d+)?$/.test(weight)) throw new Error(`--format: the weight of ${name} should be a number ≥ 0, got "${weight}"`);
    weights[name as FormatName] = weight === undefined ? 1 : Number(weight);
  }
  return weights;
}

// A closed pipe (`… | head`) ends the output; it is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
  process.exitCode = 1;
});
