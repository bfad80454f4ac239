/**
 * Seeded PRNG so a bootstrap interval is reproducible: the same samples and
 * seed give the same CI on every machine. mulberry32 (Tommy Ettinger): 32-bit
 * state, passes gjrand/PractRand up to several GB, plenty for 2000 resamples.
 */
export type Rng = () => number;

export const DEFAULT_SEED = 0x150b_e7c4;

/** Returns a generator of floats uniform in [0, 1). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
