import type { EvidenceLine } from './evidence.js';
import type { HostFacts } from './host-facts.js';

/**
 * What one evidence line shows, reduced to a small vocabulary of states per
 * check (so the expectations table can name them) plus the observation in
 * words. 'unknown' means the probe could not tell (e.g. no /proc): it is
 * never counted as agreeing or disagreeing with a claim.
 */
export interface Observation {
  state: string;
  words: string;
}

export type Observer = (line: EvidenceLine, host: HostFacts) => Observation;

export const UNKNOWN = 'unknown';

export function unknown(words: string): Observation {
  return { state: UNKNOWN, words };
}
