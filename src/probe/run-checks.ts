import crypto from 'node:crypto';
import type { Environment, Limits, Prepared } from '../envs/types.js';
import type { CheckResult } from '../results/isolation.js';
import { CHECK_NAMES } from './checks.js';
import { parseEvidence, type ParsedEvidence } from './evidence.js';
import { classify } from './expectations.js';
import type { HostFacts } from './host-facts.js';

export interface EnvCheckRun {
  status: 'ok' | 'failed';
  reason?: string;
  commandLine: string[];
  exitCode?: number;
  evidence?: ParsedEvidence;
  checks: CheckResult[];
}

export interface RunChecksOptions {
  argv: string[];
  limits: Limits;
  timeoutMs: number;
}

/**
 * Runs the check workload in one environment, exactly like any other
 * workload (`/isobench/probe ready TOKEN -- /isobench/probe check ...`), and
 * classifies every check. A run that prints no evidence at all is 'failed';
 * a missing line for one check becomes a not-applicable result saying so.
 */
export async function runChecksIn(env: Environment, prepared: Prepared, host: HostFacts, opts: RunChecksOptions): Promise<EnvCheckRun> {
  const token = `isobench-ready-${crypto.randomBytes(8).toString('hex')}`;
  let commandLine: string[] = [];
  try {
    const running = await env.start(prepared, { argv: opts.argv, token, env: {}, timeoutMs: opts.timeoutMs, limits: opts.limits });
    commandLine = running.commandLine;
    const out = await env.wait(running);
    const evidence = parseEvidence(out.output);
    if (evidence.lines.size === 0) {
      const tail = evidence.other.slice(-5).join(' | ');
      return { status: 'failed', reason: `the probe printed no evidence (exit ${out.exitCode})${tail ? `: ${tail}` : ''}`, commandLine, exitCode: out.exitCode, evidence, checks: [] };
    }
    const checks = CHECK_NAMES.map((check) => {
      const line = evidence.lines.get(check);
      const r = classify({ check, env: env.name, kind: env.kind, line, host, all: evidence.lines });
      return line ? { ...r, raw: line } : r;
    });
    return { status: 'ok', commandLine, exitCode: out.exitCode, evidence, checks };
  } catch (err) {
    const e = err as Error & { outputTail?: string };
    const tail = e.outputTail ? ` (output: ${e.outputTail.slice(-300).replace(/\s+/g, ' ').trim()})` : '';
    return { status: 'failed', reason: `${e.message}${tail}`, commandLine, checks: [] };
  }
}
