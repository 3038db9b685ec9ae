/**
 * `node --import bench/dist/alloc-profile.preload.js`: samples what the process allocates
 * between two SIGWINCH (the first starts, the second writes a `.heapprofile` into
 * BENCH_ALLOC_PROF_DIR): what a stretch of calls allocates, for the GC it causes.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env['BENCH_ALLOC_PROF_DIR'] ?? '.';
const session = new Session();
session.connect();
let sampling = false;
process.on('SIGWINCH', () => {
  if (!sampling) {
    sampling = true;
    session.post('HeapProfiler.enable', () => session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true }));
    return;
  }
  sampling = false;
  session.post('HeapProfiler.stopSampling', (error, result) => {
    if (error) throw error;
    writeFileSync(join(dir, `reporting-${process.pid}-${Date.now()}.heapprofile`), JSON.stringify(result.profile));
  });
});
