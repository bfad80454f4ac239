/**
 * Helpers for Workload.workMs: how long a run's work took by the workload's
 * own clock (sysbench's "total time", the probe's rate over its count ...),
 * without the process start-up around it. undefined when a figure is missing.
 */
export function msOf(seconds: number | undefined): number | undefined {
  return seconds !== undefined && seconds > 0 ? seconds * 1000 : undefined;
}

/** Time of `units` of work done at `perSecond`, ms. */
export function perRate(units: number, perSecond: number | undefined): number | undefined {
  return perSecond !== undefined && perSecond > 0 && units > 0 ? (units / perSecond) * 1000 : undefined;
}

/** Sum of parts, or undefined if any part is unknown. */
export function sumMs(...parts: (number | undefined)[]): number | undefined {
  let t = 0;
  for (const x of parts) {
    if (x === undefined) return undefined;
    t += x;
  }
  return t > 0 ? t : undefined;
}
