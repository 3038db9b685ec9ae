import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { Workload } from './workload.js';

/** A full collection when the runtime allows one (exposed on demand), so heap figures mean something. */
function collectGarbage(): void {
  setFlagsFromString('--expose_gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  gc?.();
}

describe('streaming', () => {
  it('1M notifications stream in bounded memory', () => {
    const workload = new Workload({ seed: 99, nodes: 4, channelsPerNode: 8, targetEvents: 1_000_000, duplicationRate: 0.01, reorderWindow: 64 });
    let count = 0;
    let bytes = 0;
    let heapAt100k = 0;
    let heapMax = 0;
    for (const item of workload) {
      // Serialize as a consumer would, and drop the item.
      bytes += JSON.stringify(item.body).length;
      count++;
      if (count === 100_000) {
        collectGarbage();
        heapAt100k = process.memoryUsage().heapUsed;
      } else if (count > 100_000 && count % 300_000 === 0) {
        collectGarbage();
        heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
      }
    }
    collectGarbage();
    heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
    expect(count).toBeGreaterThan(1_000_000);
    expect(bytes).toBeGreaterThan(300_000_000);
    // 900k more notifications (~400 MB of JSON) may grow the model (closed channel accounts,
    // a few coins) by a little, never by the stream.
    expect(heapMax - heapAt100k).toBeLessThan(24 * 1024 * 1024);
    expect(workload.expected().notifications.total).toBe(count);
  });
});
