/**
 * How an instance's CLOCK_MONOTONIC stands against the harness's, from
 * timed reads (session-loop.c's `isobench.clock`): the instance read its
 * clock somewhere between the harness writing the request and seeing the
 * reply, so the read with the shortest round trip bounds the offset best
 * (the midpoint, off by at most half that round trip: Cristian's method,
 * "Probabilistic clock synchronization", Distributed Computing 3, 1989).
 * A VM guest keeps its own clock; paired slots (src/measure/paired.ts) need
 * its schedule in the guest's time.
 */

import { escapeRe } from './protocol.js';

/** One timed read: host clock (process.hrtime) before the request and after the reply, and the instance's clock between, ns. */
export interface ClockRead {
  sentNs: bigint;
  instanceNs: bigint;
  receivedNs: bigint;
}

export interface ClockOffset {
  /** Instance clock minus host clock, ns. */
  offsetNs: bigint;
  /** Half the best round trip: the offset is within this of the truth, ns. */
  uncertaintyNs: bigint;
  reads: number;
}

/** The offset from the read with the shortest round trip; undefined without reads. */
export function clockOffset(reads: readonly ClockRead[]): ClockOffset | undefined {
  let best: ClockRead | undefined;
  for (const r of reads) {
    if (r.receivedNs < r.sentNs) continue;
    if (!best || r.receivedNs - r.sentNs < best.receivedNs - best.sentNs) best = r;
  }
  if (!best) return undefined;
  const rtt = best.receivedNs - best.sentNs;
  return { offsetNs: best.instanceNs - (best.sentNs + rtt / 2n), uncertaintyNs: rtt / 2n, reads: reads.length };
}

/**
 * The recent reads of one instance's clock. A guest's serial console answers
 * in ~0.5 ms or, about half the time, ~5 ms (measured under TCG here), so a
 * few reads per run rarely all come back fast; the clocks' rates agree (the
 * best offset moved < 0.1 ms over 3 s), so the fastest of the last `window`
 * reads is the one to trust.
 */
export class ClockTracker {
  private readonly reads: ClockRead[] = [];
  constructor(readonly window = 32) {}

  get size(): number {
    return this.reads.length;
  }

  add(r: ClockRead): void {
    this.reads.push(r);
    if (this.reads.length > this.window) this.reads.shift();
  }

  offset(): ClockOffset | undefined {
    return clockOffset(this.reads);
  }
}

/** Parses a reply line's fields for this token, or undefined. */
export function parseClockReply(text: string, token: string): bigint | undefined {
  const m = new RegExp(`(?:^|\\n)isobench\\.clock ${escapeRe(token)} (\\d+)\\r?\\n`).exec(text);
  return m ? BigInt(m[1]!) : undefined;
}
