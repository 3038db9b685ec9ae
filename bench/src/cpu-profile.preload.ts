/**
 * `node --import bench/dist/cpu-profile.preload.js`: profiles the process from its start and
 * writes a `.cpuprofile` into BENCH_CPU_PROF_DIR on SIGUSR2 — for services, which a signal
 * ends before `--cpu-prof` could write its file (Nest's shutdown re-raises SIGTERM).
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env['BENCH_CPU_PROF_DIR'] ?? '.';
const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 500 }, () => session.post('Profiler.start')));
process.on('SIGUSR2', () => {
  session.post('Profiler.stop', (error, result) => {
    if (error) throw error;
    writeFileSync(join(dir, `profile-${process.pid}-${Date.now()}.cpuprofile`), JSON.stringify(result.profile));
    session.post('Profiler.start');
  });
});
