/**
 * Format-neutral tables: each section's figures are computed once here and
 * printed by both the Markdown and the HTML renderer, so the two reports can
 * never disagree on a number.
 */
import type { MetricSpec, RunResults, StopReason } from '../../results/types.js';
import { envLabel, envOrder, envResult, isolationOf, otherFacts, portabilityOf, type FactValue } from './access.js';
import { fmtBytes, fmtCI, fmtMs, fmtNum, fmtRatio, fmtValue, shellLine, shortDigest } from './format.js';
import { comparedEnvs, speedScenarios, speedTable } from './speed.js';
import { startupView } from './startup.js';
import { needText, precisionView } from './precision.js';

export type Tone = 'ok' | 'bad' | 'mixed' | 'na' | 'warn';
export interface Cell {
  text: string;
  tone?: Tone;
  /** Longer evidence: hover/expand in HTML, footnote-ish in Markdown. */
  detail?: string;
  code?: boolean;
}
export interface Table {
  headers: string[];
  rows: Cell[][];
}

/** "skipped: <long reason>" -> "skipped" in matrix cells; the reason is in the detail and the warnings. */
function shortMissing(m: string | undefined): string {
  if (!m) return '–';
  const head = /^(skipped|failed)\b/.exec(m);
  return head ? head[1] as string : m;
}

const c = (text: string, extra: Omit<Cell, 'text'> = {}): Cell => ({ text, ...extra });

export function startupTable(r: RunResults): Table | undefined {
  const v = startupView(r);
  if (!v) return undefined;
  return {
    headers: ['environment', 'n', 'median', 'p5 – p95', 'min – max', 'outliers', 'image', 'command line'],
    rows: v.series.map((s) => s.stats
      ? [c(s.label, s.accelerator === 'tcg' ? { tone: 'warn' } : {}), c(String(s.stats.n)), c(fmtMs(s.stats.median)), c(`${fmtMs(s.stats.p5)} – ${fmtMs(s.stats.p95)}`),
        c(`${fmtMs(s.stats.min)} – ${fmtMs(s.stats.max)}`), c(String(s.stats.outliers.length)), c(shortDigest(s.imageDigest), { code: true, ...(s.imageDigest ? { detail: s.imageDigest } : {}) }),
        c(shellLine(s.commandLine), { code: true })]
      : [c(s.label), c(String(s.values.length)), c(shortMissing(s.missing), { tone: 'na', ...(s.missing ? { detail: s.missing } : {}) }), c('–'), c('–'), c('–'), c('–'), c(shellLine(s.commandLine), { code: true })]),
  };
}

/** Scenario × environment matrix of speed relative to host with the CI. */
export function speedMatrix(r: RunResults): Table | undefined {
  const envs = comparedEnvs(r);
  const table = speedTable(r);
  if (table.length === 0) return undefined;
  const short = new Map((precisionView(r)?.short ?? []).map((p) => [`${p.scenario}\u0000${p.env}`, needText(p)]));
  return {
    headers: ['scenario (metric)', ...envs.map((e) => envLabel(r, e))],
    rows: table.map((row, i) => {
      const s = speedScenarios(r)[i];
      return [c(`${s?.name ?? '?'} (${s?.primaryMetric.name ?? '?'}, ${s?.primaryMetric.higherIsBetter ? 'higher' : 'lower'} is better)`),
        ...row.map((cell) => cell.notComparable
          ? c('not comparable', { tone: 'na', detail: `${cell.notComparable}${cell.speed !== undefined ? ` (measured ${fmtRatio(cell.speed)} ${fmtCI(cell.lo ?? NaN, cell.hi ?? NaN)} n=${cell.n})` : ''}` })
          : cell.speed === undefined
            ? c(shortMissing(cell.missing), { tone: 'na', ...(cell.missing ? { detail: cell.missing } : {}) })
            : c(`${fmtRatio(cell.speed)} ${fmtCI(cell.lo ?? NaN, cell.hi ?? NaN)} n=${cell.n}${cell.paired ? ' paired' : ''}${cell.presentation === 'disk' ? ' (disk)' : ''}${stopMark(cell.stop)}`, {
              ...(cell.accelerator === 'tcg' ? { tone: 'warn' as const } : {}),
              ...((cell.stop && cell.stop !== 'fixed') || cell.paired
                ? { detail: [cell.paired ? PAIRED_TEXT : undefined, cell.stop && cell.stop !== 'fixed' ? `${cell.rounds} runs; sampling stopped: ${STOP_TEXT[cell.stop]}` : undefined, short.get(`${cell.scenario}\u0000${cell.env}`)].filter(Boolean).join('; ') }
                : {}),
            }))];
    }),
  };
}

/** What "paired" after a speed cell means (its detail). */
export const PAIRED_TEXT = 'ratio from runs paired slot by slot with a host companion on one CPU (5 ms turns; scenarios/README.md, "Paired slots")';

/** Why sampling of a cell stopped, in words (report legend and cell details). */
export const STOP_TEXT: Record<StopReason, string> = {
  decided: 'decided: the interval cleared every threshold the claims use and met the precision target',
  precision: 'precision target met (no claim threshold applies to this cell)',
  budget: 'out of time budget before deciding (or its claims were decided and its spread showed the time left could not reach the precision target: its time went to the cells that could)',
  'max-rounds': 'reached --max-rounds before deciding',
  fixed: 'fixed number of rounds (--rounds)',
  failed: 'the environment failed',
  interrupted: 'interrupted (Ctrl-C)',
};

/** A short mark after n in a matrix cell: "· decided", "· budget". */
function stopMark(stop: StopReason | undefined): string {
  if (!stop || stop === 'fixed') return '';
  return ` · ${stop === 'max-rounds' ? 'max rounds' : stop}`;
}

/**
 * Median of every scenario's primary metric per environment, host included
 * (the raw figures behind the ratios). A primary that is a median of timed
 * slices within each run (cpu, syscall) is followed by its whole-run
 * companion, `<primary>_whole`, so the plain figure stays in view.
 */
export function mediansTable(r: RunResults): Table {
  const envs = envOrder(r);
  const row = (s: RunResults['scenarios'][number], m: MetricSpec, label: string): Cell[] => [c(s.name), c(label), ...envs.map((env) => {
    const e = envResult(s, env);
    if (!e) return c('–', { tone: 'na' });
    if (e.status === 'skipped') return c('skipped', { tone: 'na', detail: e.reason });
    if (e.status === 'failed') return c('failed', { tone: 'bad', detail: e.error.message });
    const st = e.stats[m.name];
    return st ? c(`${fmtValue(st.median, m.unit)} (n=${st.n})`) : c('–', { tone: 'na' });
  })];
  return {
    headers: ['scenario', 'metric', ...envs.map((e) => envLabel(r, e))],
    rows: r.scenarios.flatMap((s) => {
      const p = s.primaryMetric;
      const whole = s.metrics.find((m) => m.name === `${p.name}_whole`);
      if (!whole) return [row(s, p, `${p.name} (${p.unit})`)];
      return [row(s, p, `${p.name} (${p.unit}): median of timed slices per run`), row(s, whole, `${whole.name} (${whole.unit}): whole run`)];
    }),
  };
}

export const OUTCOME_LABEL = { 'as-claimed': 'as claimed', contradicts: 'contradicts', 'not-applicable': 'n/a' } as const;
/** The matrix is coloured by isolation (what was observed); whether that matches the seed is a separate mark. */
const ISOLATION_TONE = { isolated: 'ok', exposed: 'bad', 'n/a': 'na' } as const;
export const ISOLATION_MARK = { isolated: '✓ isolated', exposed: '✗ exposed', 'n/a': '— n/a' } as const;
export const SEED_MARK = { 'as-claimed': '= seed', contradicts: '≠ seed', 'not-applicable': '' } as const;

/** Checks × environments; each cell: isolated / exposed (tone), whether it matches the seed, and observed + expected + evidence (detail). */
export function isolationMatrix(r: RunResults): Table | undefined {
  const iso = isolationOf(r);
  if (!iso || iso.checks.length === 0) return undefined;
  const envs = envOrder(r).filter((e) => iso.checks.some((x) => x.env === e) || iso.envs.some((x) => x.env === e));
  const checks = [...new Set(iso.checks.map((x) => x.check))];
  return {
    headers: ['check', ...envs.map((e) => envLabel(r, e))],
    rows: checks.map((check) => [c(check), ...envs.map((env) => {
      const x = iso.checks.find((k) => k.check === check && k.env === env);
      if (!x) {
        const st = iso.envs.find((k) => k.env === env);
        return c(st && st.status !== 'ok' ? st.status : 'not run', { tone: 'na', ...(st?.reason ? { detail: st.reason } : {}) });
      }
      const observed = x.isolation ?? 'n/a';
      const seed = SEED_MARK[x.outcome] ?? '';
      return c(`${ISOLATION_MARK[observed]}${seed ? ` · ${seed}` : ''}`, {
        tone: ISOLATION_TONE[observed],
        detail: `observed: ${x.observed}\nseed expects: ${x.expected} (${OUTCOME_LABEL[x.outcome] ?? x.outcome})\nevidence: ${x.evidence}`,
      });
    })]),
  };
}

export function portabilityTable(r: RunResults): Table | undefined {
  const p = portabilityOf(r);
  if (p.length === 0) return undefined;
  return {
    headers: ['environment', 'method', 'digest before', 'digest after', 'identical', 'ran after', 'detail'],
    rows: p.map((x) => [c(envLabel(r, x.env)), c(x.method), c(shortDigest(x.digestBefore), { code: true }), c(shortDigest(x.digestAfter), { code: true }),
      c(x.identical === undefined ? '–' : x.identical ? 'yes' : 'no', { tone: x.identical ? 'ok' : x.identical === false ? 'bad' : 'na' }),
      c(x.ranAfter === undefined ? '–' : x.ranAfter ? 'yes' : 'no', { tone: x.ranAfter ? 'ok' : x.ranAfter === false ? 'bad' : 'na' }), c(x.detail)]),
  };
}

/** A fact value in one line: byte counts and durations get units, long number lists are summarized, objects flattened. */
export function factText(key: string, v: FactValue): string {
  const bytes = /bytes/i.test(key);
  const num = (x: number): string => (bytes ? fmtBytes(x) : /Ms$/.test(key) ? fmtMs(x) : fmtNum(x));
  if (typeof v === 'number') return bytes ? `${fmtBytes(v)} (${v.toLocaleString('en-US')} B)` : num(v);
  if (typeof v === 'string' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) {
    if (v.length > 4 && v.every((x) => typeof x === 'number')) {
      const xs = v.filter((x): x is number => typeof x === 'number').sort((a, b) => a - b);
      return `${xs.length} values: median ${num(xs[Math.floor(xs.length / 2)] ?? NaN)}, min ${num(xs[0] ?? NaN)}, max ${num(xs[xs.length - 1] ?? NaN)}`;
    }
    return v.map((x) => factText(key, x)).join(', ');
  }
  if (v && typeof v === 'object') return Object.entries(v).map(([k, x]) => `${k}: ${factText(k, x)}`).join('; ');
  return '–';
}

export function factsTable(r: RunResults): Table | undefined {
  const rows: Cell[][] = [];
  for (const [group, value] of otherFacts(r)) {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) rows.push([c(`${group}.${k}`, { code: true }), c(factText(k, v))]);
    } else rows.push([c(group, { code: true }), c(factText(group, value))]);
  }
  return rows.length ? { headers: ['fact', 'value'], rows } : undefined;
}

export function manifestTable(r: RunResults): Table {
  const m = r.manifest;
  const rows: [string, string][] = [
    ['host', m.hostname],
    ['CPU', `${m.cpu.model} (${m.cpu.cores} logical / ${m.cpu.physicalCores} physical cores${m.cpu.mhz ? `, ${m.cpu.mhz} MHz` : ''})`],
    ['memory', fmtBytes(m.memoryBytes)],
    ['OS', `${m.os.distro} ${m.os.release} (${m.os.arch})`],
    ['kernel', m.os.kernel],
    ['virtualization', `${m.virtualization.hostIsVirtual ? `host is itself a VM (${m.virtualization.hypervisor ?? 'unknown hypervisor'})` : 'bare metal'}; KVM: ${m.virtualization.kvm}`],
    ['VM accelerator', m.virtualization.accelerator ? (m.virtualization.accelerator === 'tcg' ? 'tcg (software emulation: VM figures are emulated)' : 'kvm') : '–'],
    ['cgroup', m.cgroup],
    ['node', m.node],
    ['isobench', `${r.tool.version} @ ${r.tool.gitRevision}`],
    ['command', shellLine(r.command)],
    ['run', `${r.runId}: ${r.startedAt}${r.finishedAt ? ` → ${r.finishedAt}` : ' (unfinished)'}`],
    ['options', `rounds ${r.options.rounds ?? 'default'}, warm-up ${r.options.warmup ?? 'default'}; scenarios ${r.options.scenarios.join(', ') || 'all'}; envs ${r.options.envs.join(', ') || 'all'}`],
    ...Object.entries(m.tools).map(([k, v]): [string, string] => [`tool: ${k}`, v]),
  ];
  return { headers: ['item', 'value'], rows: rows.map(([k, v]) => [c(k), c(v)]) };
}

export function environmentsTable(r: RunResults): Table {
  return {
    headers: ['environment', 'kind', 'status', 'description', 'version', 'facts'],
    rows: r.environments.map((e) => [c(envLabel(r, e.name), e.accelerator === 'tcg' ? { tone: 'warn' } : {}), c(e.kind),
      c(e.status === 'skipped' ? `skipped: ${e.reason ?? '?'}` : e.status, { tone: e.status === 'skipped' ? 'na' : 'ok' }),
      c(e.description ?? '–'), c(e.version ?? '–'), c(e.facts ? Object.entries(e.facts).map(([k, v]) => `${k}: ${v}`).join('; ') : '–')]),
  };
}

export function imageTable(r: RunResults): Table | undefined {
  if (!r.image) return undefined;
  return {
    headers: ['layer', 'digest', 'size'],
    rows: r.image.layers.map((l, i) => [c(l.description ?? `layer ${i + 1}`), c(l.digest, { code: true }), c(fmtBytes(l.size))]),
  };
}

/** Exact command line of every scenario × environment (one representative round each). */
export function commandLines(r: RunResults): { scenario: string; env: string; label: string; line: string; digest?: string; n: number; how?: string; instance?: string }[] {
  const out: { scenario: string; env: string; label: string; line: string; digest?: string; n: number; how?: string; instance?: string }[] = [];
  for (const s of r.scenarios) for (const e of s.envs) {
    if (e.status === 'skipped') continue;
    const how = e.status === 'ok' ? runHow(e) : undefined;
    // A session's runs ran inside one instance: its own command line goes with the description.
    const instance = e.status === 'ok' && e.session?.commandLine ? shellLine(e.session.commandLine) : undefined;
    out.push({ scenario: s.name, env: e.env, label: envLabel(r, e.env), line: shellLine(e.commandLine), n: e.samples.length, ...(e.status === 'ok' ? { digest: e.imageDigest } : {}), ...(how ? { how } : {}), ...(instance ? { instance } : {}) });
  }
  return out;
}

/** How a cell's runs were made when it is not simply "the argv, once per run": its work size and its shared instance. */
export function runHow(e: { workSize?: { factor: number; targetMs: number }; session?: { description: string } }): string | undefined {
  const parts: string[] = [];
  if (e.workSize) parts.push(`work sized ×${e.workSize.factor.toPrecision(2)} of the scenario's params for ~${e.workSize.targetMs} ms rounds`);
  if (e.session) parts.push(e.session.description);
  return parts.length ? parts.join('; ') : undefined;
}
