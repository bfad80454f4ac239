import { CHECK_NAMES } from '../probe/checks.js';
import type { ClaimEvidence } from '../results/claims.js';
import type { CheckResult, EnvResult, EnvResultOk, PortabilityEvidence, RunResults, ScenarioResult } from '../results/types.js';

/* Lookups over the parts of results.json the judges read (the reader has already checked every shape). */

export function checkOf(r: RunResults, env: string, check: string): CheckResult | undefined {
  return r.isolation?.checks.find((c) => c.env === env && c.check === check);
}

/** Why an environment has no isolation evidence ('' if it has some). */
export function isolationMissing(r: RunResults, env: string): string {
  const iso = r.isolation;
  if (!iso) return 'the isolation phase did not run';
  const e = iso.envs.find((x) => x.env === env);
  if (!e) {
    const info = r.environments.find((x) => x.name === env);
    return info?.status === 'skipped' ? `${env} was skipped: ${info.reason ?? 'not available'}` : `${env} was not probed in this run`;
  }
  if (e.status !== 'ok') return `${env} ${e.status}: ${e.reason ?? 'no reason recorded'}`;
  return '';
}

export function checkEvidence(c: CheckResult): ClaimEvidence {
  return { source: `isolation:${c.check}@${c.env}`, detail: `${c.outcome}: ${c.observed}` };
}

export function scenarioEnv(s: ScenarioResult, env: string): EnvResult | undefined {
  return s.envs.find((e) => e.env === env);
}

export function okEnv(s: ScenarioResult, env: string): EnvResultOk | undefined {
  const e = scenarioEnv(s, env);
  return e?.status === 'ok' ? e : undefined;
}

/** Reason an environment never produced speed figures ('' when some scenario has it ok). */
export function speedMissing(r: RunResults, env: string): string {
  if (r.scenarios.length === 0) return 'no timed scenario ran in this run';
  if (r.scenarios.some((s) => okEnv(s, env))) return '';
  const info = r.environments.find((x) => x.name === env);
  if (info?.status === 'skipped') return `${env} was skipped: ${info.reason ?? 'not available'}`;
  const failed = r.scenarios.map((s) => scenarioEnv(s, env)).find((e) => e?.status === 'failed');
  if (failed?.status === 'failed') return `${env} failed: ${failed.error.message}`;
  return `${env} did not run any scenario`;
}

/**
 * The VM's accelerator and, when it is TCG, why KVM was not used. Looked up
 * on the environment info, then the scenario results, then the manifest.
 */
export function vmAccel(r: RunResults): { accelerator?: 'kvm' | 'tcg'; kvmReason: string } {
  const info = r.environments.find((e) => e.kind === 'vm' || e.name === 'vm');
  const fromScenario = r.scenarios.map((s) => okEnv(s, 'vm')?.accelerator).find(Boolean);
  const accelerator = info?.accelerator ?? fromScenario ?? r.manifest?.virtualization?.accelerator;
  const kvmReason = info?.facts?.kvm ?? info?.facts?.kvmReason ?? r.manifest?.virtualization?.kvm ?? 'no reason recorded';
  return { ...(accelerator ? { accelerator } : {}), kvmReason };
}

export function portabilityOf(r: RunResults): PortabilityEvidence[] {
  return r.facts?.portability ?? [];
}

/** An interval's level as a percentage to a tenth, never rounded up: a sequential interval's 99.33% reads 99.3%, not "99%" or "100%". */
export function fmtLevel(confidence: number): string {
  return `${Math.floor(confidence * 1000 + 1e-9) / 10}%`;
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : ms >= 10 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(2)} ms`;
}

export function fmtBytes(n: number): string {
  if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

export function shortDigest(d: string): string {
  return d.replace(/^sha256:/, 'sha256:').slice(0, 19);
}

/**
 * What ran in an environment this run: the timed scenarios that finished ok
 * there, plus the isolation probe. Empty when nothing ran. (bench verify runs
 * no scenario, only the probe: judges that need "something ran" use this.)
 */
export function ranIn(r: RunResults, env: string, imageDigest?: string): { scenarios: string[]; runs: number; probe: boolean; text: string } {
  // With imageDigest: only the scenarios that ran that image (a run may use several, e.g. the applications image).
  const ranIt = (e: EnvResultOk | undefined): e is EnvResultOk => e !== undefined && (imageDigest === undefined || e.imageDigest === imageDigest);
  const ok = r.scenarios.map((s) => okEnv(s, env)).filter(ranIt);
  const scenarios = r.scenarios.filter((s) => ranIt(okEnv(s, env))).map((s) => s.name);
  const runs = ok.reduce((n, e) => n + e.samples.length + e.warmup.length, 0);
  const probe = r.isolation?.envs.some((e) => e.env === env && e.status === 'ok') ?? false;
  const parts = [scenarios.length ? `${runs} timed runs of ${scenarios.join(', ')}` : '', probe ? `the ${CHECK_NAMES.length} isolation checks` : ''].filter(Boolean);
  return { scenarios, runs, probe, text: parts.join(' and ') };
}
