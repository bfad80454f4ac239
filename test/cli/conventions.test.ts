import { describe, it, expect } from 'vitest';
import { Command } from 'commander';
import { didYouMean, editDistance } from '../../src/cli/did-you-mean.js';
import { splitImageAndCommand } from '../../src/cli/commands/ctr.js';
import { requiredEnvs } from '../../src/cli/commands/verify.js';
import { commandTable, register as completion } from '../../src/cli/commands/completion.js';
import { commands } from '../../src/cli/commands/index.js';
import { DEFAULT_THRESHOLD_HELP } from '../../src/cli/commands/compare.js';
import { DEFAULT_THRESHOLD, renderers } from '../../src/report/index.js';
import { createProgress } from '../../src/cli/progress.js';

describe('ctr run argument order (Docker\'s)', () => {
  it('takes the first operand as the image, the rest as the command', () => {
    expect(splitImageAndCommand(['isobench/workload:latest', '/isobench/probe', 'ready', 'x'], {})).toEqual({ image: 'isobench/workload:latest', argv: ['/isobench/probe', 'ready', 'x'] });
    expect(splitImageAndCommand(['alpine'], {})).toEqual({ image: 'alpine', argv: [] });
  });
  it('keeps --image as an alias (every operand is then the command) and --rootfs takes no image', () => {
    expect(splitImageAndCommand(['/bin/true'], { image: 'a:b' })).toEqual({ image: 'a:b', argv: ['/bin/true'] });
    expect(splitImageAndCommand(['/bin/true'], { rootfs: '/srv/root' })).toEqual({ argv: ['/bin/true'] });
    expect(() => splitImageAndCommand([], { image: 'a', rootfs: '/r' })).toThrow(/cannot be combined/);
  });
  it('refuses a run without an image, showing the usage', () => {
    expect(() => splitImageAndCommand([], {})).toThrow(/no image given: bench ctr run \[OPTIONS\] IMAGE/);
  });
});

describe('did you mean', () => {
  const images = ['isobench/workload:latest', 'registry.local/app:v2'];
  it('finds typos and partial names, and stays quiet for unrelated input', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(didYouMean('isobench/workload:lates', images)).toBe('isobench/workload:latest');
    expect(didYouMean('isobench/workloda', images)).toBe('isobench/workload:latest');
    expect(didYouMean('workload', images)).toBe('isobench/workload:latest');
    expect(didYouMean('nope:latest', images)).toBeUndefined();
    expect(didYouMean('x', [])).toBeUndefined();
  });
});

describe('verify --require', () => {
  const withQemu = { PATH: '/usr/bin:/bin' };
  const noQemu = { PATH: '/nonexistent' };
  const known = ['host', 'chroot', 'container', 'runc', 'bwrap', 'vm'];
  it('defaults to the container, plus the VM where QEMU is installed, narrowed to --env', () => {
    expect(requiredEnvs({}, undefined, known, noQemu)).toEqual(['container']);
    const hasQemu = requiredEnvs({}, undefined, known, withQemu).includes('vm');
    expect(requiredEnvs({}, ['host', 'vm'], known, withQemu)).toEqual(hasQemu ? ['vm'] : []);
  });
  it('takes an explicit list or none, and refuses unknown names or names --env does not run', () => {
    expect(requiredEnvs({ require: 'container,chroot' }, undefined, known)).toEqual(['container', 'chroot']);
    expect(requiredEnvs({ require: 'none' }, ['host'], known)).toEqual([]);
    expect(() => requiredEnvs({ require: 'nope' }, undefined, known)).toThrow(/unknown environment "nope"/);
    expect(() => requiredEnvs({ require: 'vm', env: 'host' }, ['host'], known)).toThrow(/--require vm but --env host/);
  });
});

describe('completion', () => {
  it('lists every command, subcommand and option of the live command tree', () => {
    const program = new Command('bench').option('--home <dir>');
    for (const r of commands) r(program, () => {});
    const t = commandTable(program);
    expect(t.get('')!.subs).toEqual(expect.arrayContaining(['run', 'verify', 'ctr', 'images', 'ps', 'completion']));
    expect(t.get('ctr')!.subs).toEqual(expect.arrayContaining(['run', 'exec', 'logs', 'ps']));
    expect(t.get('ctr run')!.opts).toEqual(expect.arrayContaining(['--rm', '-d', '--image']));
    expect(t.get('ctr exec')!.opts).toEqual(expect.arrayContaining(['-i', '-t']));
    expect(t.get('ctr logs')!.opts).toContain('--follow');
    expect(t.get('verify')!.opts).toEqual(expect.arrayContaining(['--require', '--allow-skip']));
    expect(t.get('doctor')!.opts).toContain('--json');
    expect(typeof completion).toBe('function');
  });
});

describe('help texts that avoid loading the report code', () => {
  it('agree with the report module', () => {
    expect(DEFAULT_THRESHOLD_HELP).toBe(DEFAULT_THRESHOLD);
    const program = new Command('bench');
    for (const r of commands) r(program, () => {});
    const help = program.commands.find((c) => c.name() === 'report')!.helpInformation();
    for (const r of renderers) expect(help).toContain(r.name);
  });
});

describe('progress: NO_COLOR and --quiet', () => {
  const sink = (isTTY: boolean) => {
    const chunks: string[] = [];
    return { chunks, stream: { isTTY, columns: 80, write: (s: string) => { chunks.push(s); return true; } } as unknown as NodeJS.WriteStream };
  };
  const step = { scenario: 'cpu', env: 'host', round: 1, rounds: 2, warmup: false, index: 1, total: 2 };
  it('writes no terminal escapes on a TTY when NO_COLOR is set', () => {
    const s = sink(true);
    const p = createProgress(s.stream, { NO_COLOR: '1' });
    p.stage('x');
    p.runStarted(step);
    p.close();
    expect(s.chunks.join('')).not.toContain('\x1b[');
    expect(s.chunks.join('')).toContain('[1/2] cpu × host × round 1/2\n');
  });
  it('--quiet keeps warnings and failures only', () => {
    const s = sink(false);
    const p = createProgress(s.stream, {}, { quiet: true });
    p.stage('building');
    p.runStarted(step);
    p.runFinished(step, { ok: false, ms: 1, error: 'boom' });
    p.warn('careful');
    expect(s.chunks.join('')).toBe('  FAILED cpu × host × round 1/2: boom\nwarning: careful\n');
  });
});
