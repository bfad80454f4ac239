/**
 * Everything a reader must know before trusting a figure: emulated VMs,
 * skipped and failed environments, outliers that were kept, tiny samples.
 */
import type { RunResults } from '../../results/types.js';
import { envLabel } from './access.js';

export interface ReportWarning {
  kind: 'emulation' | 'skipped' | 'failed' | 'outliers' | 'small-n' | 'unpinned' | 'run';
  env?: string;
  scenario?: string;
  text: string;
}

const SMALL_N = 5;

/**
 * One line per scenario for the cells with fewer than SMALL_N samples (a
 * budget ends every application cell at its floor of three): which cells,
 * and what that means for their intervals. Under sequential sampling the
 * primary metric's interval is referred to Student t, so it is wide rather
 * than wrong; a percentile bootstrap of a median (the other metrics, and
 * every metric of a fixed-rounds run) cannot be wider than the data's range
 * and is too narrow on so few runs.
 */
function smallSampleWarning(r: RunResults, s: RunResults['scenarios'][number]): ReportWarning | undefined {
  const ok = s.envs.filter((e) => e.status === 'ok');
  const few = ok.filter((e) => e.samples.length < SMALL_N);
  if (few.length === 0) return undefined;
  const ns = few.map((e) => e.samples.length);
  const lo = Math.min(...ns);
  const hi = Math.max(...ns);
  const count = lo === hi ? `${lo}` : `${lo}–${hi}`;
  const where = few.length === ok.length && ok.length > 1 ? 'every environment' : few.map((e) => `${envLabel(r, e.env)} (${e.samples.length})`).join(', ');
  const meaning = s.sampling?.mode === 'sequential'
    ? `its ${s.primaryMetric.name} intervals allow for that (Student t) and are wide; the bootstrap intervals of its other metrics are too narrow to trust`
    : 'their bootstrap intervals are too narrow to trust';
  return { kind: 'small-n', scenario: s.name, text: `${s.name}: only ${count} samples in ${where}; ${meaning}.` };
}

/**
 * Paired runs (memory, syscall) whose environment side could not pin itself
 * to the companion's CPU (a cpuset without it): the two sides then ran on
 * different vCPUs, whose slow states differ, and the pairing cancels less.
 */
function unpinnedWarning(r: RunResults, s: RunResults['scenarios'][number]): ReportWarning | undefined {
  const parts: string[] = [];
  for (const e of s.envs) {
    if (e.status !== 'ok') continue;
    const paired = e.samples.filter((x) => x.metrics.paired_ratio !== undefined);
    const loose = paired.filter((x) => x.metrics.pinned === 0).length;
    if (loose > 0) parts.push(`${envLabel(r, e.env)} ${loose}/${paired.length}`);
  }
  if (parts.length === 0) return undefined;
  return { kind: 'unpinned', scenario: s.name, text: `${s.name}: paired runs that could not pin to the host companion's CPU — ${parts.join('; ')}. Their slots ran on another vCPU than their partners', so the pairing cancels less of the host's drift; the interval still rests on the runs as measured.` };
}

export function collectWarnings(r: RunResults): ReportWarning[] {
  const out: ReportWarning[] = [];
  for (const e of r.environments) {
    if (e.accelerator === 'tcg') {
      out.push({ kind: 'emulation', env: e.name, text: `${e.name}: ran under TCG (software emulation, no usable KVM). Its startup and speed figures are those of an emulated CPU, not of a hardware-accelerated VM, and are never compared as if they were.` });
    }
    if (e.status === 'skipped') out.push({ kind: 'skipped', env: e.name, text: `${e.name}: skipped for the whole run — ${e.reason ?? 'no reason recorded'}` });
  }
  const skippedEnvs = new Set(r.environments.filter((e) => e.status === 'skipped').map((e) => e.name));
  for (const s of r.scenarios) {
    for (const e of s.envs) {
      if (e.status === 'skipped' && !skippedEnvs.has(e.env)) {
        out.push({ kind: 'skipped', env: e.env, scenario: s.name, text: `${s.name} / ${e.env}: skipped — ${e.reason}` });
      } else if (e.status === 'failed') {
        out.push({ kind: 'failed', env: e.env, scenario: s.name, text: `${s.name} / ${e.env}: FAILED after ${e.samples.length} round(s) — ${e.error.message}${e.error.hint ? ` (hint: ${e.error.hint})` : ''}` });
      }
    }
    const small = smallSampleWarning(r, s);
    if (small) out.push(small);
    const unpinned = unpinnedWarning(r, s);
    if (unpinned) out.push(unpinned);
    // One line per scenario: outliers of the primary metric, per environment, with their rounds.
    const m = s.primaryMetric.name;
    const parts: string[] = [];
    for (const e of s.envs) {
      const st = e.status === 'ok' ? e.stats[m] : undefined;
      if (e.status !== 'ok' || !st || st.outliers.length === 0) continue;
      parts.push(`${envLabel(r, e.env)} ${st.outliers.length}/${st.n} (round ${st.outliers.map((i) => e.samples[i]?.round ?? i).join(', ')})`);
    }
    if (parts.length) out.push({ kind: 'outliers', scenario: s.name, text: `${s.name}: ${m} outliers (modified z-score > 3.5) — ${parts.join('; ')}. Kept in every statistic; the medians and their CIs are robust to them.` });
  }
  for (const w of r.warnings) out.push({ kind: 'run', text: w });
  return out;
}
