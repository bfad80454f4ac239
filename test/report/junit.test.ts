import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderJunit, junitRenderer, xmlAttr, xmlText } from '../../src/report/junit.js';
import { judgeClaims } from '../../src/claims/index.js';
import { results, typicalIsolation } from '../claims/synthetic.js';
import { CHECK_NAMES } from '../../src/probe/checks.js';

const hasXmllint = spawnSync('xmllint', ['--version']).status === 0;

/** Tiny structural reader: tag names in order, with attributes, enough to count testcases. */
function elements(xml: string, tag: string): Record<string, string>[] {
  const re = new RegExp(`<${tag}((?:\\s+[a-z-]+="[^"]*")*)\\s*/?>`, 'g');
  return [...xml.matchAll(re)].map((m) => Object.fromEntries([...(m[1] ?? '').matchAll(/([a-z-]+)="([^"]*)"/g)].map((a) => [a[1]!, a[2]!])));
}

function run() {
  const r = results({ isolation: typicalIsolation() });
  r.isolation = { ...(r.isolation as object), envs: [...typicalIsolation().envs, { env: 'runc', status: 'skipped', reason: 'runc not installed <here> & "there"' }] } as never;
  r.claims = judgeClaims(r);
  return r;
}

describe('JUnit XML', () => {
  it('has one testcase per check x environment (classname=env, name=check) plus one per claim', () => {
    const xml = renderJunit(run());
    const suites = elements(xml, 'testsuite');
    expect(suites.map((s) => s.name)).toEqual(['isolation', 'claims']);
    const cases = elements(xml, 'testcase');
    const iso = cases.filter((c) => !c.classname!.startsWith('claims.'));
    expect(iso).toHaveLength(5 * CHECK_NAMES.length);
    expect(new Set(iso.map((c) => c.classname))).toEqual(new Set(['host', 'chroot', 'container', 'vm', 'runc']));
    expect(iso.filter((c) => c.classname === 'chroot').map((c) => c.name)).toContain('chroot-escape');
    expect(cases.length - iso.length).toBe(30);
    expect(suites[0]).toMatchObject({ tests: String(5 * CHECK_NAMES.length), failures: '0' });
  });

  it('a contradiction in our container engine is a failure; in the chroot it is a passing finding', () => {
    const r = run();
    const iso = r.isolation as ReturnType<typeof typicalIsolation>;
    const net = iso.checks.find((c) => c.env === 'container' && c.check === 'network')!;
    net.outcome = 'contradicts';
    net.observed = 'connected to the host\'s listener & read its <token>';
    const xml = renderJunit(r);
    const failures = elements(xml, 'failure');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.type).toBe('contradicts');
    expect(failures[0]!.message).toContain('network@container');
    expect(failures[0]!.message).toContain('&amp; read its &lt;token&gt;');
    expect(xml).toContain('a finding about chroot, not a regression');
    expect(elements(xml, 'testsuite')[0]).toMatchObject({ failures: '1' });
  });

  it('skips not-applicable checks, skipped environments (with the reason) and not-judged claims', () => {
    const xml = renderJunit(run());
    const skipped = elements(xml, 'skipped');
    expect(skipped.some((s) => s.message === 'skipped: runc not installed &lt;here&gt; &amp; &quot;there&quot;')).toBe(true);
    expect(skipped.some((s) => s.message!.startsWith('not applicable'))).toBe(true);
    expect(skipped.some((s) => s.message!.startsWith('could not judge here'))).toBe(true);
  });

  it('a gating environment that failed to run the probe is an error for every check', () => {
    const r = run();
    (r.isolation as { envs: unknown[] }).envs = [{ env: 'vm', status: 'failed', reason: 'qemu exited 1' }];
    const xml = renderJunit(r);
    expect(elements(xml, 'error')).toHaveLength(CHECK_NAMES.length);
  });

  it('escapes text and attributes, drops control characters, keeps CDATA closed', () => {
    expect(xmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(xmlAttr('"x"\n\'y\'\u0001')).toBe('&quot;x&quot;&#10;&apos;y&apos;');
    const r = run();
    r.claims = [{ id: 'x', section: 's', subject: 'vm', sentence: 'a ]]> b \u0007', verdict: 'confirmed', reason: 'r', evidence: [] }];
    const xml = renderJunit(r);
    expect(xml).toContain(']]]]><![CDATA[>');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });

  it.skipIf(!hasXmllint)('is well-formed XML according to xmllint (libxml2-utils)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'isobench-junit-'));
    try {
      const r = run();
      r.claims = [...(r.claims as never[]), { id: 'y', section: 's', subject: 'vm', sentence: 'nasty ]]> & <x> "q" \u0001', verdict: 'nuanced', reason: '<&>', evidence: [{ source: 'a&b', detail: ']]>' }] }];
      const [file] = await junitRenderer().render(r, dir);
      expect(existsSync(file!)).toBe(true);
      const lint = spawnSync('xmllint', ['--noout', file!], { encoding: 'utf8' });
      expect(lint.stderr).toBe('');
      expect(lint.status).toBe(0);
      expect(readFileSync(file!, 'utf8')).toContain('<testsuites');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
