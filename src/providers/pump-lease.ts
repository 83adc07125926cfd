import type { HttpMulti } from '../http/multi.js';

interface Lease {
  count: number;
  stop: () => void;
}

const leases = new WeakMap<HttpMulti, Lease>();

/**
 * complete() and stream() pump the engine themselves: the first one in flight on an engine
 * starts one autoPump, the last one to finish stops it. Several providers sharing one
 * engine share the lease. A host that pumps too does no harm: pumps find nothing twice.
 */
export function acquirePump(multi: HttpMulti): () => void {
  let lease = leases.get(multi);
  if (lease === undefined) {
    lease = { count: 0, stop: multi.autoPump() };
    leases.set(multi, lease);
  }
  lease.count++;
  const held = lease;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.count--;
    if (held.count === 0 && leases.get(multi) === held) {
      leases.delete(multi);
      held.stop();
    }
  };
}
