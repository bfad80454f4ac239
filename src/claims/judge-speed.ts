import type { ClaimEvidence, Verdict } from '../results/claims.js';
import type { EnvResultOk, RunResults, ScenarioResult } from '../results/types.js';
import { combine, notJudged, type Judge, type Judgement } from './judgement.js';
import { fmtLevel, fmtMs, okEnv, speedMissing, vmAccel } from './read-results.js';
import { SPEED_THRESHOLDS, bandText, ciAgainstMargin } from './thresholds.js';

type StartWord = 'very-fast' | 'relatively-fast';

function tcgBlock(r: RunResults, env: string): Judgement | undefined {
  if (env !== 'vm') return undefined;
  const { accelerator, kvmReason } = vmAccel(r);
  if (accelerator === 'tcg') return notJudged(`the VM ran under TCG emulation; KVM unavailable: ${kvmReason}`);
  return undefined;
}

function startupScenario(r: RunResults, env: string): ScenarioResult | undefined {
  const ok = r.scenarios.filter((s) => okEnv(s, env)?.stats.startupMs);
  return ok.find((s) => s.workload.type === 'startup' || s.name === 'startup') ?? ok[0];
}

/** "VERY fast start" / "relatively fast to start", on the startup median against SPEED_THRESHOLDS. */
export function judgeStartup(env: string, word: StartWord): Judge {
  return (r) => {
    const blocked = tcgBlock(r, env);
    if (blocked) return blocked;
    const missing = speedMissing(r, env);
    if (missing) return notJudged(missing);
    const s = startupScenario(r, env);
    const st = s ? okEnv(s, env)?.stats.startupMs : undefined;
    if (!s || !st) return notJudged(`no startupMs figures for ${env}`);
    const t = word === 'very-fast' ? SPEED_THRESHOLDS.veryFastStartMs : SPEED_THRESHOLDS.relativelyFastStartMs;
    const hostSt = okEnv(s, 'host')?.stats.startupMs;
    const evidence: ClaimEvidence[] = [{
      source: `scenario:${s.name}`,
      detail: `${env} startup median ${fmtMs(st.median)} (p95 ${fmtMs(st.p95)}, n=${st.n})${hostSt ? `; host ${fmtMs(hostSt.median)}` : ''}`,
    }];
    for (const other of ['host', 'chroot', 'container', 'vm'].filter((e) => e !== env)) {
      const o = okEnv(s, other)?.stats.startupMs;
      if (o && other !== 'host') evidence.push({ source: `scenario:${s.name}`, detail: `${other} startup median ${fmtMs(o.median)}` });
    }
    const rule = word === 'very-fast'
      ? `"VERY fast" means <= ${t.confirmed} ms here (process scale), ${t.confirmed}-${t.nuanced} ms is only fast`
      : `"relatively fast" means <= ${fmtMs(t.confirmed)} here (a distribution VM boots in 10-30 s), up to ${fmtMs(t.nuanced)} is borderline`;
    const verdict: Verdict = st.median <= t.confirmed ? 'confirmed' : st.median <= t.nuanced ? 'nuanced' : 'refuted';
    const accel = env === 'vm' ? ` (accelerator ${vmAccel(r).accelerator ?? 'unknown'})` : '';
    return { verdict, reason: `median startup ${fmtMs(st.median)}${accel} over ${st.n} runs; ${rule}`, evidence };
  };
}

/** Why sampling of a cell stopped before its interval cleared the band. */
function stopText(e: EnvResultOk): string {
  const s = e.sampling;
  if (!s) return ' (fixed rounds)';
  const why = s.stop === 'budget' ? 'out of time budget' : s.stop === 'max-rounds' ? 'at --max-rounds' : s.stop === 'fixed' ? 'fixed --rounds' : s.stop;
  return ` (${why} after ${s.rounds} rounds)`;
}

/** "SAME as the host's" (margin 5%) / "CLOSE to the host's" (margin 20%), on each scenario's ratio CI. */
export function judgeExecSpeed(env: string, word: 'same' | 'close'): Judge {
  return (r) => {
    const blocked = tcgBlock(r, env);
    if (blocked) return blocked;
    const missing = speedMissing(r, env);
    if (missing) return notJudged(missing);
    const margin = word === 'same' ? SPEED_THRESHOLDS.sameMargin : SPEED_THRESHOLDS.closeMargin;
    const parts: { verdict: Verdict; text: string }[] = [];
    const evidence: ClaimEvidence[] = [];
    for (const s of r.scenarios) {
      if (s.workload.type === 'startup' || s.primaryMetric.name === 'startupMs') continue;
      const e = okEnv(s, env);
      const ratio = e?.ratioToHost?.[s.primaryMetric.name];
      if (!e || !ratio) continue;
      const band = ciAgainstMargin(ratio.lo, ratio.hi, margin);
      // A straddling interval is not "partly true": it is open, and says why sampling stopped before deciding it.
      const verdict: Verdict = band === 'inside' ? 'confirmed' : band === 'outside' ? 'refuted' : 'undecided';
      const slower = s.primaryMetric.higherIsBetter ? ratio.ratio < 1 : ratio.ratio > 1;
      const stop = band === 'straddles' ? stopText(e) : '';
      const text = `${s.name} ×${ratio.ratio.toFixed(3)} [${ratio.lo.toFixed(3)}, ${ratio.hi.toFixed(3)}]${stop}`;
      parts.push({ verdict, text });
      evidence.push({
        source: `scenario:${s.name}`,
        detail: `${s.primaryMetric.name} ratio to host ${ratio.ratio.toFixed(3)}, ${fmtLevel(ratio.confidence)} CI [${ratio.lo.toFixed(3)}, ${ratio.hi.toFixed(3)}] (${slower ? 'slower' : 'not slower'}; CI ${band} the band)`,
      });
    }
    if (parts.length === 0) return notJudged(`no scenario has a ratio to the host for ${env} (the host must run too)`);
    const verdict = combine(parts.map((p) => p.verdict));
    const list = (v: Verdict): string => parts.filter((p) => p.verdict === v).map((p) => p.text).join(', ');
    const rule = `"${word === 'same' ? 'SAME' : 'CLOSE'}" = the 95% CI of env/host inside ${bandText(margin)}`;
    let reason: string;
    if (verdict === 'confirmed') reason = `every scenario's ratio CI is inside the band: ${list('confirmed')}; ${rule}`;
    else if (verdict === 'refuted') reason = `every scenario's ratio CI is outside the band: ${list('refuted')}; ${rule}`;
    else {
      const bits = [
        list('confirmed') && `inside: ${list('confirmed')}`,
        list('refuted') && `outside: ${list('refuted')}`,
        list('undecided') && `undecided (CI straddles the edge): ${list('undecided')}`,
      ].filter(Boolean);
      reason = verdict === 'undecided'
        ? `undecided, out of measurement: ${bits.join('; ')}; ${rule}`
        : `not for every workload — ${bits.join('; ')}; ${rule}`;
    }
    return { verdict, reason, evidence };
  };
}
