import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CATALOGUE, judgeClaims, verdictCounts, ciAgainstMargin } from '../../src/claims/index.js';
import { REPO_ROOT } from '../../src/core/version.js';
import type { RunResults } from '../../src/results/types.js';
import { check, isolation, okEnv, ratio, results, scenario, typicalIsolation } from './synthetic.js';

const row = (r: RunResults, id: string) => {
  const found = judgeClaims(r).find((x) => x.id === id);
  if (!found) throw new Error(`no row ${id}`);
  return found;
};

describe('catalogue', () => {
  it('holds every bullet sentence of the English seed and of the Portuguese original', () => {
    /** Bullet items (continuation lines folded in), split into sentences. */
    const sentencesOf = (file: string): string[] => {
      const items: string[] = [];
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (/^\s*[-*]\s+/.test(line)) items.push(line.replace(/^\s*[-*]\s+/, ''));
        else if (/^\s{2,}\S/.test(line) && items.length) items[items.length - 1] += ` ${line.trim()}`;
      }
      return items.flatMap((i) => i.replace(/\*\*/g, '').split(/(?<=\.)\s+(?=[A-Z])/)).map((x) => x.trim().replace(/[:.;]$/, ''));
    };
    const norm = (s: string) => s.replace(/\s+/g, ' ').toLowerCase();
    const en = norm(CATALOGUE.map((c) => c.sentence).join(' '));
    const pt = norm(CATALOGUE.map((c) => c.sentencePt ?? '').join(' '));
    const enSentences = sentencesOf(path.join(REPO_ROOT, 'docs', 'container-concepts.en.md'));
    const ptSentences = sentencesOf(path.join(REPO_ROOT, 'docs', 'container-concepts.pt.md'));
    expect(enSentences).toHaveLength(30);
    expect(ptSentences).toHaveLength(30);
    for (const x of enSentences) expect(en, x).toContain(norm(x));
    for (const x of ptSentences) expect(pt, x).toContain(norm(x));
  });

  it('has unique ids and one row per sentence', () => {
    expect(new Set(CATALOGUE.map((c) => c.id)).size).toBe(CATALOGUE.length);
    expect(CATALOGUE.length).toBe(30);
  });

  it('judges an empty run without throwing: everything not judged, each with a reason', () => {
    const rows = judgeClaims(results());
    expect(rows).toHaveLength(30);
    for (const r of rows) {
      expect(r.verdict, r.id).toBe('not-judged');
      expect(r.reason).toMatch(/^could not judge here: /);
    }
  });
});

describe('speed judges', () => {
  const speedRun = (container: [number, number, number], vmAccel: 'kvm' | 'tcg' = 'kvm') => results({
    environments: [
      { name: 'host', kind: 'host', status: 'available' },
      { name: 'container', kind: 'container', status: 'available' },
      { name: 'chroot', kind: 'chroot', status: 'available' },
      { name: 'vm', kind: 'vm', status: 'available', accelerator: vmAccel },
    ],
    scenarios: [
      scenario('startup', 'startup', 'startupMs', [okEnv('host', 1), okEnv('container', 8), okEnv('chroot', 2), okEnv('vm', 1800, {}, vmAccel)], false),
      scenario('cpu', 'probe-cpu', 'events_per_sec', [
        okEnv('host', 1),
        okEnv('container', 8, { events_per_sec: ratio(...container) }),
        okEnv('chroot', 2, { events_per_sec: ratio(0.99, 0.97, 1.01) }),
        okEnv('vm', 1800, { events_per_sec: ratio(0.9, 0.85, 0.95) }, vmAccel),
      ]),
    ],
  });

  it('CI inside ±5% confirms SAME; outside refutes; straddling is undecided (not "partly true"), naming why sampling stopped', () => {
    expect(row(speedRun([1.0, 0.98, 1.02]), 'speed.container.exec').verdict).toBe('confirmed');
    expect(row(speedRun([0.7, 0.65, 0.75]), 'speed.container.exec').verdict).toBe('refuted');
    const n = row(speedRun([0.96, 0.93, 0.99]), 'speed.container.exec');
    expect(n.verdict).toBe('undecided');
    expect(n.reason).toContain('straddles');
    expect(n.reason).toContain('±5%');
    expect(n.reason).toContain('fixed rounds');
    const budget = speedRun([0.96, 0.93, 0.99]);
    const cell = budget.scenarios[1]!.envs.find((e) => e.env === 'container')!;
    if (cell.status === 'ok') cell.sampling = { rounds: 57, stop: 'budget', looks: 6, spentMs: 9000, halfWidth: 0.03 };
    expect(row(budget, 'speed.container.exec').reason).toContain('out of time budget after 57 rounds');
  });

  it("names an interval's level as it is, to a tenth and never rounded up: 97.5% not 98%, 99.33% not 100%", () => {
    for (const [level, shown, wrong] of [[0.975, '97.5% CI [', '98% CI'], [0.99331, '99.3% CI [', '100% CI']] as const) {
      const r = speedRun([0.99, 0.97, 1.01]);
      const cell = r.scenarios[1]!.envs.find((e) => e.env === 'container')!;
      if (cell.status !== 'ok') throw new Error('synthetic: container should be ok');
      for (const est of Object.values(cell.ratioToHost ?? {})) Object.assign(est, { confidence: level, method: 'trimmed-sequential', resamples: 0 });
      const details = row(r, 'speed.container.exec').evidence.map((e) => e.detail).join(' ');
      expect(details).toContain(shown);
      expect(details).not.toContain(wrong);
    }
  });

  it('one scenario inside and one straddling is undecided; inside beside outside is nuanced whatever is open', () => {
    const r = speedRun([1.0, 0.99, 1.01]);
    r.scenarios.push(scenario('memory', 'sysbench-memory', 'mib_per_sec', [okEnv('host', 1), okEnv('container', 8, { mib_per_sec: ratio(0.96, 0.93, 0.99) })]));
    expect(row(r, 'speed.container.exec').verdict).toBe('undecided');
    r.scenarios.push(scenario('fileio', 'probe-fsync', 'fsyncs_per_sec', [okEnv('host', 1), okEnv('container', 8, { fsyncs_per_sec: ratio(0.5, 0.45, 0.55) })]));
    expect(row(r, 'speed.container.exec').verdict).toBe('nuanced');
  });

  it('mixed scenarios give nuanced, naming which held', () => {
    const r = speedRun([1.0, 0.99, 1.01]);
    r.scenarios.push(scenario('fileio', 'probe-fsync', 'fsyncs_per_sec', [okEnv('host', 1), okEnv('container', 8, { fsyncs_per_sec: ratio(0.5, 0.45, 0.55) })]));
    const x = row(r, 'speed.container.exec');
    expect(x.verdict).toBe('nuanced');
    expect(x.reason).toContain('inside: cpu');
    expect(x.reason).toContain('outside: fileio');
  });

  it('VERY fast start: 8 ms confirmed, 300 ms nuanced, 2 s refuted (documented thresholds)', () => {
    expect(row(speedRun([1, 0.99, 1.01]), 'speed.container.start')).toMatchObject({ verdict: 'confirmed' });
    const r = speedRun([1, 0.99, 1.01]);
    r.scenarios[0]!.envs[1] = okEnv('container', 300);
    expect(row(r, 'speed.container.start').verdict).toBe('nuanced');
    r.scenarios[0]!.envs[1] = okEnv('container', 2000);
    expect(row(r, 'speed.container.start').verdict).toBe('refuted');
    expect(row(r, 'speed.container.start').reason).toContain('<= 100 ms');
  });

  it('VM under KVM: relatively fast start and CLOSE speed judged; under TCG not judged, saying why', () => {
    expect(row(speedRun([1, 0.99, 1.01]), 'speed.vm.start').verdict).toBe('confirmed');
    expect(row(speedRun([1, 0.99, 1.01]), 'speed.vm.exec').verdict).toBe('confirmed'); // [0.85,0.95] inside ±20%
    const tcg = speedRun([1, 0.99, 1.01], 'tcg');
    for (const id of ['speed.vm.start', 'speed.vm.exec']) {
      const x = row(tcg, id);
      expect(x.verdict).toBe('not-judged');
      expect(x.reason).toBe('could not judge here: the VM ran under TCG emulation; KVM unavailable: PVM: /dev/kvm present but guests cannot use it');
    }
  });

  it('ciAgainstMargin is log-symmetric', () => {
    expect(ciAgainstMargin(0.953, 1.049, 0.05)).toBe('inside');
    expect(ciAgainstMargin(0.94, 0.949, 0.05)).toBe('outside');
    expect(ciAgainstMargin(1.06, 1.2, 0.05)).toBe('outside');
    expect(ciAgainstMargin(0.9, 1.0, 0.05)).toBe('straddles');
  });
});

describe('isolation and contents judges', () => {
  it('typical picture: container confirmed, chroot nuanced (root escapes), VM confirmed with scope', () => {
    const r = results({ isolation: typicalIsolation() });
    expect(row(r, 'isolation.container').verdict).toBe('confirmed');
    const ch = row(r, 'isolation.chroot');
    expect(ch.verdict).toBe('nuanced');
    expect(ch.reason).toContain('does not hold against root');
    expect(ch.evidence.map((e) => e.source)).toContain('isolation:chroot-escape@chroot');
    const vm = row(r, 'isolation.vm');
    expect(vm.verdict).toBe('confirmed');
    expect(vm.reason).toContain('more than a probe can show');
    expect(row(r, 'contents.vm').reason).toContain('its own kernel: confirmed');
    expect(row(r, 'contents.container.host-kernel').reason).toContain("uses the host's kernel: confirmed");
    expect(row(r, 'engine.network').verdict).toBe('confirmed');
  });

  it('a network leak in our container refutes "isolation of ... the network"', () => {
    const iso = typicalIsolation();
    iso.checks.find((c) => c.env === 'container' && c.check === 'network')!.outcome = 'contradicts';
    const x = row(results({ isolation: iso }), 'isolation.container');
    expect(x.verdict).toBe('refuted');
    expect(x.reason).toContain('network (network)');
  });

  it('an escape route (host device opened, host cgroup root, host binary) refutes the container claim, naming the check', () => {
    for (const name of ['devices', 'cgroup-escape', 'host-binary']) {
      const iso = typicalIsolation();
      const c = iso.checks.find((x) => x.env === 'container' && x.check === name)!;
      c.outcome = 'contradicts';
      c.observed = `${name} broke`;
      const x = row(results({ isolation: iso }), 'isolation.container');
      expect(x.verdict, name).toBe('refuted');
      expect(x.reason).toContain(`${name}: ${name} broke`);
    }
  });

  it('no seccomp filter with intact isolation is nuanced, naming the syscalls check', () => {
    const iso = typicalIsolation();
    const c = iso.checks.find((x) => x.env === 'container' && x.check === 'syscalls')!;
    c.outcome = 'contradicts';
    c.observed = 'no seccomp filter (mode 0)';
    const x = row(results({ isolation: iso }), 'isolation.container');
    expect(x.verdict).toBe('nuanced');
    expect(x.reason).toContain('syscalls: no seccomp filter');
  });

  it('weak hardening with intact isolation is nuanced, naming it', () => {
    const iso = typicalIsolation();
    const c = iso.checks.find((x) => x.env === 'container' && x.check === 'masked-paths')!;
    c.outcome = 'contradicts';
    c.observed = 'readable: /proc/keys';
    const x = row(results({ isolation: iso }), 'isolation.container');
    expect(x.verdict).toBe('nuanced');
    expect(x.reason).toContain('/proc/keys');
  });

  it('a VM that sees the host boot_id refutes "its own kernel"; a missing VM is not judged with the reason', () => {
    const iso = typicalIsolation();
    iso.checks.find((c) => c.env === 'vm' && c.check === 'kernel')!.outcome = 'contradicts';
    expect(row(results({ isolation: iso }), 'contents.vm').verdict).toBe('refuted');
    const noVm = isolation(['host'], [check('host', 'kernel', 'as-claimed')]);
    noVm.envs.push({ env: 'vm', status: 'skipped', reason: 'qemu-system-x86_64 not installed' } as never);
    const x = row(results({ isolation: noVm }), 'isolation.vm');
    expect(x).toMatchObject({ verdict: 'not-judged', reason: 'could not judge here: vm skipped: qemu-system-x86_64 not installed' });
  });

  it('engine network: loopback-only container arm is not judged (never asked for an interface); a network scenario confirms', () => {
    const iso = typicalIsolation();
    iso.checks.find((c) => c.env === 'container' && c.check === 'network')!.raw = { check: 'network', interfaces: ['lo'] };
    const lo = row(results({ isolation: iso }), 'engine.network');
    expect(lo.verdict).toBe('not-judged');
    expect(lo.reason).toContain('loopback only');
    const withNet = results({ isolation: iso, scenarios: [scenario('network', 'probe-net-stream', 'mbps', [okEnv('host', 1), okEnv('container', 5)])] });
    expect(row(withNet, 'engine.network').verdict).toBe('confirmed');
  });

  it('engine separates: nuanced without a container-to-container probe; confirmed/refuted by what container B saw of container A', () => {
    const iso = typicalIsolation();
    expect(row(results({ isolation: iso }), 'engine.separates').verdict).toBe('nuanced');
    const seen = { status: 'ok' as const, peerPid: 4242, peerShmKey: 0x16000001 };
    const ok = row(results({ isolation: iso, facts: { containerSeparation: { ...seen, separated: true, peerPidVisible: false, peerShm: 'ENOENT', evidence: 'from container B: shmget=ENOENT, token: no' } } }), 'engine.separates');
    expect(ok.verdict).toBe('confirmed');
    expect(ok.evidence).toEqual([{ source: 'facts:containerSeparation', detail: 'from container B: shmget=ENOENT, token: no' }]);
    const leak = row(results({ isolation: iso, facts: { containerSeparation: { ...seen, separated: false, peerPidVisible: true, peerShm: 'ok', evidence: 'from container B: shmget=ok, token: yes' } } }), 'engine.separates');
    expect(leak.verdict).toBe('refuted');
    expect(leak.reason).toContain('shmget=ok');
    // A failed probe is no evidence: back to the inference.
    expect(row(results({ isolation: iso, facts: { containerSeparation: { status: 'failed', reason: 'x' } } }), 'engine.separates').verdict).toBe('nuanced');
  });

  it('chroot that hid host processes refutes "filesystem only"', () => {
    const iso = typicalIsolation();
    iso.checks.find((c) => c.env === 'chroot' && c.check === 'processes')!.outcome = 'contradicts';
    expect(row(results({ isolation: iso }), 'isolation.chroot').verdict).toBe('refuted');
  });
});

describe('image, registry, engine and portability judges', () => {
  it('engine facts: 20 containers, small rw layers, unchanged snapshots confirm the image sentences', () => {
    // The shape the engine-facts phase writes (src/measure/phases/engine-facts.ts).
    const r = results({ facts: { engine: { status: 'ok', concurrent: 20, allRunningAtOnce: true, rwBytesPerContainer: Array.from({ length: 20 }, () => 12288), imageBytes: 5 * 2 ** 20, copiedImageBytes: 0, snapshotsUnchanged: true, snapshotHash: 'x' } } });
    for (const id of ['image.rw-layer', 'image.no-copy', 'image.rw-only', 'image.many']) expect(row(r, id).verdict, id).toBe('confirmed');
    expect(row(r, 'image.many').reason).toContain('20 containers');
    const copied = results({ facts: { engine: { status: 'ok', concurrent: 2, allRunningAtOnce: true, rwBytesPerContainer: [6 * 2 ** 20, 6 * 2 ** 20], imageBytes: 5 * 2 ** 20, copiedImageBytes: 5 * 2 ** 20, snapshotsUnchanged: true, snapshotHash: 'x' } } });
    expect(row(copied, 'image.no-copy').verdict).toBe('refuted');
    const notAtOnce = results({ facts: { engine: { status: 'failed', reason: 'not all 20 containers were running at the same time', concurrent: 20, allRunningAtOnce: false, rwBytesPerContainer: [1], imageBytes: 9, copiedImageBytes: 0, snapshotsUnchanged: true, snapshotHash: 'x' } } });
    expect(row(notAtOnce, 'image.many').verdict).toBe('refuted');
    const skipped = results({ facts: { engine: { status: 'skipped', reason: 'the container environment was not prepared in this run', concurrent: 20, allRunningAtOnce: false, rwBytesPerContainer: [], imageBytes: 0, copiedImageBytes: 0, snapshotsUnchanged: false, snapshotHash: '' } } });
    expect(row(skipped, 'image.rw-layer')).toMatchObject({ verdict: 'not-judged', reason: 'could not judge here: the engine-facts measurement was skipped: the container environment was not prepared in this run' });
  });

  it('registry facts as the registry phase writes them', () => {
    const ok = results({ facts: { registry: { status: 'ok', server: 'docker-registry on loopback', pushedDigest: 'sha256:aa', pulledDigest: 'sha256:aa', identical: true, ranAfter: true } } });
    expect(row(ok, 'image.registries').verdict).toBe('confirmed');
    const skipped = results({ facts: { registry: { status: 'skipped', reason: 'docker-registry not installed' } } });
    expect(row(skipped, 'artifacts.registry')).toMatchObject({ verdict: 'not-judged', reason: 'could not judge here: the registry round-trip was skipped: docker-registry not installed' });
  });

  it('portability: container round-trip is nuanced (architecture), VM confirmed, chroot nuanced without a move', () => {
    const r = results({
      facts: { portability: [
        { env: 'container', method: 'oci-archive export/import', digestBefore: 'sha256:a', digestAfter: 'sha256:a', identical: true, ranAfter: true, detail: 'ok' },
        { env: 'vm', method: 'initramfs copy', identical: true, ranAfter: true, detail: 'booted' },
      ] },
      scenarios: [scenario('cpu', 'probe-cpu', 'e', [okEnv('host', 1), okEnv('chroot', 2)])],
    });
    expect(row(r, 'portability.container').verdict).toBe('nuanced');
    expect(row(r, 'portability.container').reason).toContain('x64');
    expect(row(r, 'portability.vm').verdict).toBe('confirmed');
    const ch = row(r, 'portability.chroot');
    expect(ch.verdict).toBe('nuanced');
    expect(ch.reason).toContain('no manifest, no entrypoint, no digest');
    const tarred = results({ facts: { portability: [{ env: 'chroot', method: 'tar of the directory (no image format)', identical: false, ranAfter: true, detail: 'ran after untar' }] } });
    expect(row(tarred, 'portability.chroot').verdict).toBe('nuanced');
    expect(row(tarred, 'portability.chroot').reason).toContain('cannot be checked against the original');
    const stuck = results({ facts: { portability: [{ env: 'chroot', method: 'tar', identical: true, ranAfter: false, detail: 'did not run' }] } });
    expect(row(stuck, 'portability.chroot').verdict).toBe('confirmed');
    const broken = results({ facts: { portability: [{ env: 'container', method: 'registry push/pull', identical: false, ranAfter: false, detail: 'digest changed' }] } });
    expect(row(broken, 'portability.container').verdict).toBe('refuted');
  });

  it('a judge that throws yields a not-judged row, never a lost one', () => {
    const rows = judgeClaims(results(), [{ id: 'x', section: 's', subject: 'vm', sentence: 'x', judge: () => { throw new Error('boom'); } }]);
    expect(rows[0]).toMatchObject({ verdict: 'not-judged', reason: 'could not judge here: the judge failed (boom)' });
    expect(verdictCounts(rows)['not-judged']).toBe(1);
  });
});

describe('runs with several images (the applications image beside the workload image)', () => {
  it('the image judge accepts any of the run\'s images and the minimal-contents judge counts only the workload image\'s runs', async () => {
    const { judgeImageIsBase } = await import('../../src/claims/judge-image.js');
    const { judgeContainerMinimal } = await import('../../src/claims/judge-contents.js');
    const { results, scenario, okEnv, DIGEST } = await import('./synthetic.js');
    const APPS = `sha256:${'2'.repeat(64)}`;
    const inApps = (env: string) => ({ ...okEnv(env, 1), imageDigest: APPS });
    const r = results({
      images: [
        { name: 'isobench/workload:latest', digest: DIGEST, layers: [] },
        { name: 'isobench/apps:latest', digest: APPS, layers: [{ digest: 'sha256:cc', size: 40 * 2 ** 20 }] },
      ],
      scenarios: [
        scenario('cpu', 'probe-cpu', 'events_per_sec', [okEnv('host', 1), okEnv('container', 1)]),
        scenario('redis', 'redis', 'set_ops_per_sec', [inApps('host'), inApps('container')]),
      ],
    });
    const v = judgeImageIsBase(r);
    expect(v.verdict).toBe('confirmed');
    expect(v.reason).toMatch(/one of the images .*isobench\/apps:latest/);
    expect(v.reason).toMatch(/in each scenario the host, chroot and VM arms ran the very same bytes/);
    const stranger = results({ ...r, scenarios: [scenario('redis', 'redis', 'set_ops_per_sec', [{ ...okEnv('container', 1), imageDigest: `sha256:${'9'.repeat(64)}` }])] });
    expect(judgeImageIsBase(stranger).verdict).toBe('refuted');
    const m = judgeContainerMinimal(r);
    expect(m.reason).toMatch(/timed runs of cpu /);
    expect(m.reason).not.toMatch(/redis/);
  });
});
