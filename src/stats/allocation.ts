/**
 * How much time the shared baseline (the host) deserves beside the cells
 * compared with it.
 *
 * Each unpaired ratio i compares a cell with the host: on the log scale its
 * variance is s_i^2 / n_i + s_h^2 / n_h, where s is a run's relative spread
 * and n a run count. A run costs c_i (c_h on the host). Minimising the total
 * time c_h n_h + sum_i c_i n_i for a given variance of every ratio gives, for
 * m alike cells (Lagrange, as Dunnett did for equal costs and spreads):
 *
 *   host time / one cell's time = sqrt(m) * (s_h / s) * sqrt(c_h / c)
 *
 * Dunnett's sqrt(m) ("A multiple comparison procedure for comparing several
 * treatments with a control", JASA 50, 1955) is the case of equal costs and
 * spreads. For cells that differ, the per-cell terms add under the root:
 * sqrt(sum_i (c_h s_h^2) / (c_i s_i^2)). A host start run that costs 5 ms
 * beside a 300 ms Docker start is 60 times cheaper: at like spreads the host
 * needs sqrt(1/60) = 13% of the time Dunnett's rule gives it. Its spread is
 * often the larger (a 1 ms start jitters by 20-25% here, a 300 ms one by
 * ~10%), which raises its share again; the rule weighs both as measured.
 */

import { MAD_NORMAL_SCALE } from './outliers.js';
import { mad } from './summary.js';

/** A group's measured cost of one run (ms) and its runs' relative spread (undefined: not known yet). */
export interface GroupCost {
  cost: number;
  spread?: number;
}

/**
 * The host's time in a round as a multiple of one compared cell's, over the
 * cells still compared with its runs. Dunnett's sqrt(m) while any spread is
 * unknown (or zero); never more than twice that, so a host whose spread was
 * overestimated at a few runs cannot take the round.
 */
export function controlShare(control: GroupCost, cells: readonly GroupCost[]): number {
  const m = Math.max(1, cells.length);
  const dunnett = Math.sqrt(m);
  const known = (g: GroupCost): g is Required<GroupCost> => g.spread !== undefined && Number.isFinite(g.spread) && g.spread > 0 && g.cost > 0;
  if (cells.length === 0 || !known(control) || !cells.every(known)) return dunnett;
  const sum = cells.reduce((t, c) => t + (control.cost * control.spread ** 2) / (c.cost * (c.spread as number) ** 2), 0);
  return Math.min(2 * dunnett, Math.sqrt(sum));
}

/** Fewest runs whose spread the allocation trusts: below it, Dunnett's rule. */
export const SPREAD_MIN_RUNS = 5;

/**
 * A group's relative spread for the allocation: the MAD of its runs' logs,
 * scaled to an SD (1.4826). Robust, as one run a burst slowed must not buy
 * the host a round's time. Undefined below SPREAD_MIN_RUNS runs or for a
 * non-positive value.
 */
export function logSpread(xs: readonly number[]): number | undefined {
  if (xs.length < SPREAD_MIN_RUNS || xs.some((x) => !(x > 0))) return undefined;
  return MAD_NORMAL_SCALE * mad(xs.map(Math.log));
}
