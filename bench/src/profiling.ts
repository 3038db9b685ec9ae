import { fileURLToPath } from 'node:url';
import type { RunningService } from '@bkpr/testing';

/** BENCH_CPU_PROF_DIR=dir: services started with `profilingEnv()` are profiled (see cpu-profile.preload.ts). */
const profileDir = process.env['BENCH_CPU_PROF_DIR'];

/** The environment that makes a service profile itself from its start, when profiling was asked for. */
export function profilingEnv(): Record<string, string> {
  if (!profileDir) return {};
  const preload = fileURLToPath(new URL('./cpu-profile.preload.js', import.meta.url));
  return { NODE_OPTIONS: `--import=${preload}`, BENCH_CPU_PROF_DIR: profileDir };
}

/**
 * Has a profiled service write its profile into BENCH_CPU_PROF_DIR. Nest then shuts the service
 * down (its shutdown hooks take SIGUSR2 too): call it once done with the service.
 */
export async function writeProfile(service: RunningService): Promise<void> {
  if (!profileDir) return;
  service.process.kill('SIGUSR2');
  await new Promise((resolve) => setTimeout(resolve, 2_000));
}
