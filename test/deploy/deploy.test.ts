/**
 * The GitHub Actions workflow and the Kubernetes Job cannot run here, so this
 * checks what can be checked: both parse, every `bench` invocation in them is
 * a command line the current CLI accepts (parsed by the real command
 * definitions, and the command's --help run through the CLI), and the merge
 * step reads exactly what the run steps write.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { commands } from '../../src/cli/commands/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bench = (args: string[]) => execa('node', ['--import', 'tsx', path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, reject: false, env: { CI: 'true' } });

type Step = { run?: string; with?: Record<string, string>; uses?: string };
const workflow = parse(readFileSync(path.join(ROOT, 'deploy/github-actions/isobench.yml'), 'utf8')) as { jobs: Record<string, { steps: Step[]; needs?: string; strategy?: { matrix: { runner: unknown[] } } }> };
const k8sDocs = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/kubernetes/isobench-job.yaml'), 'utf8')).map((d) => d.toJS());
const job = k8sDocs[0] as { kind: string; spec: { completionMode: string; template: { spec: { affinity: { podAntiAffinity: unknown }; containers: { args: string[]; securityContext: { privileged: boolean }; volumeMounts: { mountPath: string }[] }[]; volumes: { hostPath?: { path: string } }[] } } } };
const podScript = job.spec.template.spec.containers[0]!.args.join('\n');

/** `./bench ...` command lines in a shell script, split into argv (quotes dropped, variables kept as words). */
function benchLines(script: string): string[][] {
  return script
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(sudo )?\.\/bench /.test(l))
    .map((l) => l.replace(/^sudo /, '').replace(/\s*(\|\|.*|>>.*)$/, ''))
    .map((l) => l.match(/"[^"]*"|\S+/g)!.slice(1).map((w) => w.replace(/^"|"$/g, '')));
}

/** Parses argv with the real command definitions, without running any action. */
function checkArgv(argv: string[]): { command: string; unknown: string[] } {
  const program = new Command('bench').option('--home <dir>').exitOverride();
  for (const register of commands) register(program, () => {});
  const sub = program.commands.find((c) => c.name() === argv[0]);
  if (!sub) return { command: argv[0]!, unknown: ['(no such command)'] };
  const { unknown } = sub.parseOptions(argv.slice(1));
  return { command: sub.name(), unknown };
}

const ghLines = Object.values(workflow.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? benchLines(s.run) : [])));
const k8sLines = benchLines(podScript);

describe('deploy files', () => {
  it('parse, with the shapes the issue asks for', () => {
    expect(workflow.jobs.bench!.strategy!.matrix.runner).toContain('ubuntu-latest');
    expect(workflow.jobs.merge!.needs).toBe('bench');
    expect(job.kind).toBe('Job');
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.template.spec.affinity.podAntiAffinity).toBeTruthy();
    expect(job.spec.template.spec.containers[0]!.securityContext.privileged).toBe(true);
    expect(job.spec.template.spec.volumes.some((v) => v.hostPath?.path === '/dev/kvm')).toBe(true);
  });

  it('every bench invocation is a valid command line of the current CLI', async () => {
    const all = [...ghLines, ...k8sLines];
    expect(all.map((a) => a[0])).toEqual(['run', 'verify', 'merge', 'run', 'verify']);
    for (const argv of all) expect(checkArgv(argv), argv.join(' ')).toEqual({ command: argv[0], unknown: [] });
    // A planted wrong option is caught by the same check.
    expect(checkArgv(['run', 'all', '--lable', 'x']).unknown).toEqual(['--lable', 'x']);
    for (const cmd of new Set(all.map((a) => a[0]!))) {
      const r = await bench([cmd, '--help']);
      expect(r.exitCode, cmd).toBe(0);
      for (const opt of all.filter((a) => a[0] === cmd).flatMap((a) => a.filter((w) => w.startsWith('--')))) expect(r.stdout, `${cmd} ${opt}`).toContain(opt);
    }
  }, 120_000);

  it('the merge step reads what the run steps write', () => {
    const run = ghLines.find((a) => a[0] === 'run')!;
    const out = run[run.indexOf('--out') + 1]!;
    const upload = workflow.jobs.bench!.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!.with!;
    expect(upload.path).toBe(`${out}/results.json`);
    const download = workflow.jobs.merge!.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!.with!;
    const artifactPrefix = upload.name!.replace(/\$\{\{.*\}\}/, '');
    expect(download.pattern).toBe(`${artifactPrefix}*`);
    const merge = ghLines.find((a) => a[0] === 'merge')!;
    // download-artifact puts each artifact in <path>/<artifact name>/ when several match.
    expect(merge[1]).toBe(`${download.path}/${download.pattern}/results.json`);
    const summary = workflow.jobs.merge!.steps.map((s) => s.run ?? '').join('\n');
    expect(summary).toContain(`cat ${merge[merge.indexOf('--out') + 1]}/merged.md >> "$GITHUB_STEP_SUMMARY"`);

    const podRun = k8sLines.find((a) => a[0] === 'run')!;
    const podOut = podRun[podRun.indexOf('--out') + 1]!;
    expect(podScript).toContain(`echo "ISOBENCH-RESULTS-B64 $(base64 -w0 ${podOut}/results.json)"`);
    const readme = readFileSync(path.join(ROOT, 'deploy/kubernetes/README.md'), 'utf8');
    expect(readme).toMatch(/\.\/bench merge --from-logs logs\/\*\.log --out merged/);
  });

  it('the workflow\'s merge line, run with --dry-run on the layout download-artifact makes, reads every uploaded results.json', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'isobench-deploy-'));
    try {
      const merge = ghLines.find((a) => a[0] === 'merge')!;
      const [dir, pattern] = merge[1]!.split('/');
      const kvm = path.join(ROOT, 'test', 'fixtures', 'results', 'kvm-host.json');
      for (const i of [0, 1]) {
        mkdirSync(path.join(tmp, dir!, `isobench-${i}`), { recursive: true });
        copyFileSync(kvm, path.join(tmp, dir!, `isobench-${i}`, 'results.json'));
      }
      // The shell glob of the merge step, expanded as bash would.
      const re = new RegExp(`^${pattern!.replace(/\*/g, '.*')}$`);
      const files = readdirSync(path.join(tmp, dir!)).filter((n) => re.test(n)).sort().map((n) => path.join(tmp, dir!, n, 'results.json'));
      const r = await bench([...merge.slice(0, 1), ...files, ...merge.slice(2), '--dry-run']);
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('would merge 2 runs: kvm-host, kvm-host #2');
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }, 60_000);
});
