/** Edit distance (insert, delete, substitute), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate closest to what was typed, when close enough to be a typo
 * (at most a third of its length away) or when one contains the other
 * ("workload" for "isobench/workload:latest").
 */
export function didYouMean(typed: string, candidates: readonly string[]): string | undefined {
  const t = typed.replace(/:latest$/, '');
  if (t.length >= 3) {
    const containing = candidates.find((c) => c.includes(t));
    if (containing) return containing;
  }
  let best: { c: string; d: number } | undefined;
  for (const c of candidates) {
    const d = Math.min(editDistance(typed, c), editDistance(t, c.replace(/:latest$/, '')));
    if (!best || d < best.d) best = { c, d };
  }
  return best && best.d <= Math.max(2, Math.floor(t.length / 3)) ? best.c : undefined;
}
