/**
 * The CI jobs in docs/ci/ are what users copy: they must be valid YAML, be
 * the ones docs/ci.md shows, and run only commands and options the CLI has.
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/core/version.js';
import { commands } from '../../src/cli/commands/index.js';
import { commandTable } from '../../src/cli/commands/completion.js';

const read = (f: string) => readFileSync(path.join(REPO_ROOT, f), 'utf8');

function program(): Command {
  const p = new Command('bench').option('--home <dir>').option('-q, --quiet');
  for (const r of commands) r(p, () => {});
  return p;
}

/** Every shell line the job runs. */
function githubLines(doc: { jobs: Record<string, { steps: { run?: string }[] }> }): string[] {
  return Object.values(doc.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ?? '').split('\n'))).filter(Boolean);
}
function gitlabLines(doc: Record<string, { script?: string[]; after_script?: string[]; before_script?: string[] }>): string[] {
  return Object.values(doc).flatMap((j) => [...(j.before_script ?? []), ...(j.script ?? []), ...(j.after_script ?? [])]);
}

/** "sudo ./bench verify --require container,vm --out x" -> problems with it, [] when the CLI has it all. */
function check(line: string, table: ReturnType<typeof commandTable>): string[] {
  const words = line.trim().replace(/^sudo\s+/, '').split(/\s+/);
  if (words[0] === 'scripts/setup') {
    accessSync(path.join(REPO_ROOT, 'scripts', 'setup'), constants.X_OK);
    return [];
  }
  if (words[0] !== './bench' && words[0] !== 'bench') return [`not a bench command: ${line}`];
  const problems: string[] = [];
  let at = '';
  const globals = table.get('')!.opts;
  for (const w of words.slice(1)) {
    if (w.startsWith('-')) {
      const name = w.split('=')[0]!;
      if (!table.get(at)!.opts.includes(name) && !globals.includes(name)) problems.push(`"${at}" has no option ${name}`);
      continue;
    }
    const next = at ? `${at} ${w}` : w;
    if (table.has(next)) at = next;
  }
  if (at === '') problems.push(`no bench command in: ${line}`);
  return problems;
}

describe('docs/ci: GitHub Actions and GitLab CI jobs', () => {
  const table = commandTable(program());
  const gh = read('docs/ci/github-actions.yml');
  const gl = read('docs/ci/gitlab-ci.yml');

  it('are shown verbatim in docs/ci.md', () => {
    const md = read('docs/ci.md');
    expect(md).toContain(gh.trimEnd());
    expect(md).toContain(gl.trimEnd());
  });

  it('GitHub: parses, installs, gates with --require, uploads junit.xml and the HTML report, caches build/', () => {
    const doc = parse(gh) as { jobs: Record<string, { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }> };
    const lines = githubLines(doc);
    expect(lines.some((l) => /scripts\/setup$/.test(l))).toBe(true);
    expect(lines.some((l) => /bench verify --require /.test(l))).toBe(true);
    for (const l of lines) expect(check(l, table), l).toEqual([]);
    const steps = Object.values(doc.jobs).flatMap((j) => j.steps);
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.path).toMatch(/junit\.xml[\s\S]*report\.html/);
    expect(steps.find((s) => s.uses?.startsWith('actions/cache'))?.with?.path).toBe('build/');
  });

  it('GitLab: parses, installs, gates with --require, keeps junit.xml and the HTML report, caches build/', () => {
    const doc = parse(gl) as Record<string, { script?: string[]; after_script?: string[]; cache?: { paths: string[] }; artifacts?: { paths: string[]; reports?: { junit?: string } } }>;
    const lines = gitlabLines(doc);
    expect(lines).toContain('scripts/setup');
    expect(lines.some((l) => /bench verify --require /.test(l))).toBe(true);
    for (const l of lines) expect(check(l, table), l).toEqual([]);
    const job = Object.values(doc)[0]!;
    expect(job.artifacts?.reports?.junit).toBe('reports/ci/junit.xml');
    expect(job.artifacts?.paths).toEqual(expect.arrayContaining(['reports/ci/report.html', 'reports/ci/junit.xml']));
    expect(job.cache?.paths).toEqual(['build/']);
  });

  it('the checker itself catches a command or option the CLI does not have', () => {
    expect(check('./bench verfy --out x', table)).toEqual(['"" has no option --out', 'no bench command in: ./bench verfy --out x']);
    expect(check('./bench verify --requires vm', table)).toEqual(['"verify" has no option --requires']);
  });
});
