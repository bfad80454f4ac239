/**
 * The shim's --trace line ("nsexec-trace dirs=0.142 cgroup=0.180 clone=2.378
 * ... total=6.27", ms between consecutive steps) as a record. Steps:
 * dirs (rw layer + mount point), cgroup (mkdir + limits), clone (new
 * namespaces; the new netns dominates), join-cgroup, rootfs-mount (overlay),
 * proc-sys-dev, pivot (pivot_root + detach of the old root), masks-ro,
 * hostname-lo, caps-nnp; total = shim start -> just before execve.
 */
export function parseShimTrace(text: string): Record<string, number> | null {
  const line = text.split('\n').find((l) => l.startsWith('nsexec-trace '));
  if (!line) return null;
  const out: Record<string, number> = {};
  for (const m of line.matchAll(/(\S+)=([\d.]+)/g)) if (m[1] !== 'exec') out[m[1]!] = Number(m[2]);
  return out;
}

/** Per-step medians over several traces. */
export function medianSteps(traces: Array<Record<string, number>>): Record<string, number> {
  const keys = [...new Set(traces.flatMap((t) => Object.keys(t)))];
  const out: Record<string, number> = {};
  for (const k of keys) {
    const v = traces.map((t) => t[k]).filter((x): x is number => x !== undefined).sort((a, b) => a - b);
    if (v.length === 0) continue;
    const mid = v.length >> 1;
    out[k] = Number((v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2).toFixed(3));
  }
  return out;
}
