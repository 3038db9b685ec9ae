import { setFlagsFromString } from 'node:v8';

/**
 * Imported first by main.ts, so it holds from the process's start, whoever starts it (Docker,
 * Kubernetes, `npm start`, the benches): V8 flags are refused in NODE_OPTIONS.
 *
 * `--heap-growing-percent=50`: after each full collection the old generation may grow to 1.5 ×
 * what survived before the next one, instead of V8's own factor (up to 4 ×, ≈ 2.5 × measured
 * here). Reporting's live heap is its code and its books (≈ 65 MiB at 1M facts) and its work
 * makes garbage in bursts (a fold, an income statement), so V8's factor kept ≈ 100 MiB of heap
 * reserved and unused. At 1M facts (2 runs each, the bench's queries): RSS peak 354 / 360 →
 * 316 / 323 MiB, during the fold 330 / 328 → 251 / 258 MiB; listincome org-wide ≈ 10–30 %
 * slower (more full collections), within its 1 s. It sets no limit: a bigger heap is collected
 * more often, never refused (--max-old-space-size, where set, is still the only limit).
 */
setFlagsFromString('--heap-growing-percent=50');
