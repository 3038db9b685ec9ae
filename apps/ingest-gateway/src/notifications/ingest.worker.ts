import { checkBody, type BodyCheck, type BodyCheckResult } from './ingest.check.js';

/** Piscina task (see IngestWorkers): a request body checked off the thread that serves HTTP and publishes. */
export default function check(request: BodyCheck): BodyCheckResult {
  return checkBody(request);
}
