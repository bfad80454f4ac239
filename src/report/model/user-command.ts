/**
 * Tables for the user's own images and commands: which image each scenario
 * ran in (the user's digest and the digest of what ran), and every parsed
 * metric of a `command` scenario with its statistics per environment.
 */
import type { RunResults, ScenarioResult } from '../../results/types.js';
import { envLabel } from './access.js';
import { fmtValue } from './format.js';
import type { Cell, Table } from './tables.js';

const c = (text: string, extra: Omit<Cell, 'text'> = {}): Cell => ({ text, ...extra });

export function userImageScenarios(r: RunResults): ScenarioResult[] {
  return r.scenarios.filter((s) => s.userImage !== undefined);
}

export function commandScenarios(r: RunResults): ScenarioResult[] {
  return r.scenarios.filter((s) => s.workload.type === 'command');
}

export function userImagesTable(r: RunResults): Table | undefined {
  const rows = userImageScenarios(r);
  if (rows.length === 0) return undefined;
  return {
    headers: ['scenario', 'image (as given)', 'source', 'user image digest', 'ran as (user layers + probe layer)'],
    rows: rows.map((s) => {
      const u = s.userImage!;
      return [c(s.name), c(u.ref, { code: true }), c(u.source + (u.dockerImageId ? ` (Docker image ID ${u.dockerImageId})` : '')),
        c(u.digest, { code: true }), c(`${u.runName} ${u.runDigest}`, { code: true })];
    }),
  };
}

/** One row per command scenario × environment × metric: median, mean ± sd, p5–p95, n; failures with their message. */
export function commandMetricsTable(r: RunResults): Table | undefined {
  const scenarios = commandScenarios(r);
  if (scenarios.length === 0) return undefined;
  const rows: Cell[][] = [];
  for (const s of scenarios) {
    for (const e of s.envs) {
      if (e.status === 'skipped') { rows.push([c(s.name), c(envLabel(r, e.env)), c('–'), c('skipped', { tone: 'na', detail: e.reason }), c('–'), c('–'), c('–')]); continue; }
      if (e.status === 'failed') { rows.push([c(s.name), c(envLabel(r, e.env)), c('–'), c(`failed: ${e.error.message}`, { tone: 'bad', ...(e.outputTail ? { detail: e.outputTail } : {}) }), c('–'), c('–'), c(String(e.samples.length))]); continue; }
      for (const m of s.metrics) {
        const st = e.stats[m.name];
        if (!st) continue;
        rows.push([c(s.name), c(envLabel(r, e.env)), c(`${m.name} (${m.unit}, ${m.higherIsBetter ? 'higher' : 'lower'} is better)${m.name === s.primaryMetric.name ? ' ★' : ''}`),
          c(fmtValue(st.median, m.unit)), c(`${fmtValue(st.mean, m.unit)} ± ${fmtValue(st.sd, m.unit)}`), c(`${fmtValue(st.p5, m.unit)} – ${fmtValue(st.p95, m.unit)}`), c(String(st.n))]);
      }
    }
  }
  return { headers: ['scenario', 'environment', 'metric (★ primary)', 'median', 'mean ± sd', 'p5 – p95', 'n'], rows };
}
