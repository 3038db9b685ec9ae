import { fileURLToPath } from 'node:url';
import type { RunningService } from '@bkpr/testing';

/**
 * What a bench run may ask of the services it starts with `profilingEnv()`:
 * - BENCH_CPU_PROF_DIR=dir: a CPU profile from their start (cpu-profile.preload.ts), written by `writeProfile`;
 * - BENCH_ALLOC_PROF_DIR=dir (instead of the CPU profile): allocation sampling between two SIGWINCH (alloc-profile.preload.ts);
 * - BENCH_HEAP_SNAPSHOT_DIR=dir: a heap snapshot written there on SIGUSR1.
 */
const cpuProfileDir = process.env['BENCH_CPU_PROF_DIR'];
export const allocProfileDir = cpuProfileDir ? undefined : process.env['BENCH_ALLOC_PROF_DIR'];
export const heapSnapshotDir = process.env['BENCH_HEAP_SNAPSHOT_DIR'];

const preload = (name: string) => `--import=${fileURLToPath(new URL(`./${name}.preload.js`, import.meta.url))}`;

/** The environment that makes a service profile itself as asked (nothing when nothing was asked). */
export function profilingEnv(): Record<string, string> {
  const nodeOptions = [
    ...(cpuProfileDir ? [preload('cpu-profile')] : []),
    ...(allocProfileDir ? [preload('alloc-profile')] : []),
    ...(heapSnapshotDir ? ['--heapsnapshot-signal=SIGUSR1', `--diagnostic-dir=${heapSnapshotDir}`] : []),
  ];
  return {
    ...(nodeOptions.length > 0 ? { NODE_OPTIONS: nodeOptions.join(' ') } : {}),
    ...(cpuProfileDir ? { BENCH_CPU_PROF_DIR: cpuProfileDir } : {}),
    ...(allocProfileDir ? { BENCH_ALLOC_PROF_DIR: allocProfileDir } : {}),
  };
}

/**
 * Has a profiled service write its CPU profile into BENCH_CPU_PROF_DIR. Nest then shuts the
 * service down (its shutdown hooks take SIGUSR2 too): call it once done with the service.
 */
export async function writeProfile(service: RunningService): Promise<void> {
  if (!cpuProfileDir) return;
  service.process.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}
