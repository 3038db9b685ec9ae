import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pollUntil } from './poll.js';

export const SERVICES = ['ingest-gateway', 'ledger', 'reconciler', 'reporting'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface RunningService {
  readonly name: ServiceName;
  readonly port: number;
  readonly url: string;
  readonly process: ChildProcess;
  /** What the process wrote, for assertions and failure messages. */
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const require = createRequire(import.meta.url);

/** Path of a service's built entry point (`npm run build` first; turbo does it before tests). */
function entryOf(name: ServiceName): string {
  return join(dirname(require.resolve(`@bkpr/${name}/package.json`)), 'dist', 'main.js');
}

/** Starts a built service as its own process and waits until /health/ready says ok. */
export async function startServiceProcess(name: ServiceName, port: number, env: Record<string, string>): Promise<RunningService> {
  const child = spawn(process.execPath, [entryOf(name)], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const service: RunningService = {
    name,
    port,
    url,
    process: child,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  try {
    await pollUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        return (await fetch(`${url}/health/ready`)).status;
      },
      (status) => status === 200,
      { timeoutMs: 30_000, what: `${name} ready on :${port}` },
    );
  } catch (error) {
    await service.stop('SIGKILL');
    throw new Error(`${(error as Error).message}\n${name} output:\n${output.slice(-4_000)}`);
  }
  return service;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
