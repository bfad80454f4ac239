import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ClaimRow } from '../results/claims.js';
import type { CheckResult, IsolationResults } from '../results/isolation.js';
import type { GateOptions, RunResults } from '../results/types.js';
import { CHECK_NAMES } from '../probe/checks.js';
import { gateOptionsOf, isGating } from '../probe/gating.js';
import type { Renderer } from './types.js';

/**
 * JUnit XML for CI: suite "isolation" has one testcase per check x
 * environment (classname = environment, name = check); suite "claims" one
 * per seed sentence. Only what fails the gate fails: a contradiction in a
 * required environment (`bench verify --require`; default our container
 * engine and the VM), or a required environment failing to run. A
 * contradiction elsewhere (a chroot escaping, a peer runtime masking less) is
 * a finding, not a pass: a <skipped> testcase whose message and system-out
 * carry the evidence. Not-applicable checks, skipped environments and
 * not-judged claims are <skipped> too. Times are real: an environment's
 * checks share one probe run, so each carries its share of that run; a claim
 * carries the time its judge took.
 */
export const JUNIT_FILE = 'junit.xml';

/** XML 1.0 forbids most control characters even when escaped: drop them. */
function clean(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

export function xmlText(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/** CDATA cannot contain "]]>": split it across two sections. */
function cdata(s: string): string {
  return `<![CDATA[${clean(s).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

interface Case {
  classname: string;
  name: string;
  /** Seconds. */
  time?: number;
  failure?: { type: string; message: string; body: string };
  error?: { type: string; message: string };
  skipped?: string;
  out?: string;
}

function seconds(t: number | undefined): string {
  return (t ?? 0).toFixed(6).replace(/\.?0+$/, '') || '0';
}

function caseXml(c: Case): string {
  const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}" time="${seconds(c.time)}"`;
  const inner: string[] = [];
  if (c.failure) inner.push(`      <failure type="${xmlAttr(c.failure.type)}" message="${xmlAttr(c.failure.message)}">${xmlText(c.failure.body)}</failure>`);
  if (c.error) inner.push(`      <error type="${xmlAttr(c.error.type)}" message="${xmlAttr(c.error.message)}"/>`);
  if (c.skipped !== undefined) inner.push(`      <skipped message="${xmlAttr(c.skipped)}"/>`);
  if (c.out) inner.push(`      <system-out>${cdata(c.out)}</system-out>`);
  return inner.length ? `${open}>\n${inner.join('\n')}\n    </testcase>` : `${open}/>`;
}

function suiteXml(name: string, cases: Case[], timestamp: string, properties: [string, string][]): string {
  const failures = cases.filter((c) => c.failure).length;
  const errors = cases.filter((c) => c.error).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const time = cases.reduce((s, c) => s + (c.time ?? 0), 0);
  return [
    `  <testsuite name="${xmlAttr(name)}" tests="${cases.length}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds(time)}" timestamp="${xmlAttr(timestamp)}">`,
    ...(properties.length ? ['    <properties>', ...properties.map(([k, v]) => `      <property name="${xmlAttr(k)}" value="${xmlAttr(v)}"/>`), '    </properties>'] : []),
    ...cases.map(caseXml),
    '  </testsuite>',
  ].join('\n');
}

function checkCase(c: CheckResult, required: readonly string[], time: number | undefined): Case {
  const body = `expected: ${c.expected}\nobserved: ${c.observed}\nevidence: ${c.evidence}`;
  const base = { classname: c.env, name: c.check, ...(time !== undefined ? { time } : {}) };
  if (c.outcome === 'not-applicable') return { ...base, skipped: `not applicable: ${c.observed}`, out: body };
  if (c.outcome === 'as-claimed') return { ...base, out: `as claimed\n${body}` };
  if (isGating(c.env, required)) return { ...base, failure: { type: 'contradicts', message: `${c.check}@${c.env} contradicts the expectation: observed ${c.observed}`, body } };
  return {
    ...base,
    skipped: `contradicts the seed's claim — a finding about ${c.env}, not a regression (${c.env} is not a required environment): observed ${c.observed}; evidence: ${c.evidence}`,
    out: `contradicts the seed's claim — a finding about ${c.env}, not a regression of isobench\n${body}`,
  };
}

export function isolationCases(iso: IsolationResults | undefined, required: readonly string[] = GATING_DEFAULT): Case[] {
  if (!iso) return [];
  const cases: Case[] = [];
  for (const e of iso.envs) {
    // One probe run answers all checks of an environment: each check carries its share of that run.
    const share = e.durationMs !== undefined ? e.durationMs / 1000 / CHECK_NAMES.length : undefined;
    if (e.status === 'ok') {
      for (const check of CHECK_NAMES) {
        const c = iso.checks.find((x) => x.env === e.env && x.check === check);
        cases.push(c ? checkCase(c, required, share) : { classname: e.env, name: check, skipped: 'no result for this check' });
      }
    } else if (e.status === 'failed' && isGating(e.env, required)) {
      for (const check of CHECK_NAMES) cases.push({ classname: e.env, name: check, ...(share !== undefined ? { time: share } : {}), error: { type: 'probe-failed', message: `${e.env}: the isolation probe failed to run: ${e.reason ?? ''}` } });
    } else {
      const why = e.status === 'failed' ? `failed to run: ${e.reason ?? ''}` : `skipped: ${e.reason ?? ''}`;
      for (const check of CHECK_NAMES) cases.push({ classname: e.env, name: check, skipped: why });
    }
  }
  return cases;
}

export function claimCases(claims: ClaimRow[] | undefined): Case[] {
  return (claims ?? []).map((c) => {
    const out = `${c.sentence}${c.sentencePt ? `\n(pt) ${c.sentencePt}` : ''}\nverdict: ${c.verdict}\nwhy: ${c.reason}\nevidence:\n${c.evidence.map((e) => `  ${e.source}: ${e.detail}`).join('\n')}`;
    const name = `[${c.verdict}] ${c.id}: ${c.sentence}`;
    const base = { classname: `claims.${c.subject}`, name, out, ...(c.judgeMs !== undefined ? { time: c.judgeMs / 1000 } : {}) };
    return c.verdict === 'not-judged' ? { ...base, skipped: c.reason } : base;
  });
}

const GATING_DEFAULT: readonly string[] = gateOptionsOf({ options: { scenarios: [], envs: [] } }).require;

/** What a CI reader needs to trust the suite: which run, which image, which accelerator, which gate. */
function properties(r: RunResults, gate: GateOptions): [string, string][] {
  const vm = r.environments.find((e) => e.name === 'vm');
  const accel = r.manifest?.virtualization?.accelerator ?? vm?.accelerator;
  const props: [string, string][] = [
    ['run_id', r.runId],
    ['image', r.image?.name ?? 'unknown'],
    ['image_digest', r.image?.digest ?? 'unknown'],
    ['accelerator', accel ?? 'none'],
    ['required', gate.require.join(',') || 'none'],
    ['allow_skip', String(gate.allowSkip)],
    ['isobench_version', r.tool?.version ?? 'unknown'],
    ['git_revision', r.tool?.gitRevision ?? 'unknown'],
    ['command', (r.command ?? []).join(' ')],
  ];
  return props;
}

/**
 * One case per user command scenario × environment: failed with the exit
 * code and output tail, skipped with the reason, else the image digests and
 * each metric's median in the output. Only `command` scenarios: the built-in
 * workloads are judged by the claims.
 */
export function commandCases(r: RunResults): Case[] {
  const out: Case[] = [];
  for (const s of r.scenarios) {
    if (s.workload.type !== 'command') continue;
    const image = s.userImage ? `user image ${s.userImage.ref} ${s.userImage.digest}; ran ${s.userImage.runDigest}` : `image ${r.image?.digest ?? '?'}`;
    for (const e of s.envs) {
      const base = { classname: `commands.${s.name}`, name: `${s.name} in ${e.env}` };
      if (e.status === 'skipped') out.push({ ...base, skipped: e.reason });
      else if (e.status === 'failed') out.push({ ...base, failure: { type: e.error.code, message: e.error.message, body: `${image}\n${e.outputTail ?? ''}` } });
      else {
        const metrics = s.metrics.map((m) => e.stats[m.name] ? `${m.name}: median ${e.stats[m.name]!.median} ${m.unit} (n=${e.stats[m.name]!.n})` : undefined).filter(Boolean);
        out.push({ ...base, out: `${image}\n${metrics.join('\n')}` });
      }
    }
  }
  return out;
}

export function renderJunit(r: RunResults): string {
  const ts = (r.finishedAt ?? r.startedAt).replace(/\.\d+Z$/, 'Z');
  const gate = gateOptionsOf(r);
  const iso = isolationCases(r.isolation, gate.require);
  const claims = claimCases(r.claims);
  const commands = commandCases(r);
  const all = [...iso, ...claims, ...commands];
  const props = properties(r, gate);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="isobench ${xmlAttr(r.runId)}" tests="${all.length}" failures="${all.filter((c) => c.failure).length}" errors="${all.filter((c) => c.error).length}" skipped="${all.filter((c) => c.skipped !== undefined).length}">`,
    suiteXml('isolation', iso, ts, props),
    suiteXml('claims', claims, ts, props),
    ...(commands.length ? [suiteXml('commands', commands, ts, props)] : []),
    '</testsuites>',
    '',
  ].join('\n');
}

export function junitRenderer(): Renderer {
  return {
    name: 'junit',
    async render(results, outDir) {
      const file = path.join(outDir, JUNIT_FILE);
      await writeFile(file, renderJunit(results));
      return [file];
    },
  };
}
