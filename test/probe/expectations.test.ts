import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHECK_NAMES, type CheckName } from '../../src/probe/checks.js';
import { EXPECTATIONS, classify } from '../../src/probe/expectations.js';
import type { EvidenceLine } from '../../src/probe/evidence.js';
import type { HostFacts } from '../../src/probe/host-facts.js';
import type { EnvKind, JsonValue } from '../../src/results/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(path.join(here, 'fixtures', 'evidence-dev-host.json'), 'utf8')) as {
  hostFacts: HostFacts;
  lines: Record<'host' | 'chroot' | 'bwrap' | 'container' | 'runc' | 'vm', EvidenceLine[]>;
};
const host = fixture.hostFacts;

function linesOf(name: keyof typeof fixture.lines): Map<CheckName, EvidenceLine> {
  return new Map(fixture.lines[name].map((l) => [l.check, l]));
}

function classifyAll(lines: Map<CheckName, EvidenceLine>, kind: EnvKind, env = kind as string) {
  return Object.fromEntries(CHECK_NAMES.map((check) => [check, classify({ check, env, kind, line: lines.get(check), host, all: lines })]));
}

const outcomes = (r: ReturnType<typeof classifyAll>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.outcome]));

describe('expectations table', () => {
  it('has a cell for every check in every environment kind', () => {
    for (const check of CHECK_NAMES) {
      for (const kind of ['host', 'chroot', 'container', 'vm'] as const) {
        expect(EXPECTATIONS[check].expect[kind], `${check}/${kind}`).toBeDefined();
      }
    }
  });
});

describe('classify (captured evidence from the dev host)', () => {
  it('host evidence on the host: everything as claimed, the escape not applicable', () => {
    const r = classifyAll(linesOf('host'), 'host');
    const o = outcomes(r);
    expect(o['chroot-escape']).toBe('not-applicable');
    delete o['chroot-escape'];
    expect(new Set(Object.values(o))).toEqual(new Set(['as-claimed']));
    expect(r.processes!.observed).toContain('command line holds the token');
  });

  it('chroot evidence: shares processes, network, IPC; the root escape contradicts "isolates the filesystem"', () => {
    const r = classifyAll(linesOf('chroot'), 'chroot');
    expect(r['chroot-escape']).toMatchObject({ outcome: 'contradicts' });
    expect(r['chroot-escape']!.observed).toContain('reached the host root and read the sentinel');
    expect(r['chroot-escape']!.observed).toContain('not visible directly');
    for (const c of ['processes', 'network', 'ipc', 'root', 'namespaces', 'kernel', 'hostname'] as const) {
      expect(r[c]!.outcome, c).toBe('as-claimed');
    }
    expect(r.root!.observed).toContain('subtree');
    expect(r.network!.observed).toContain('read its token');
  });

  it('the same chroot evidence, had a container produced it, contradicts every container claim', () => {
    const r = classifyAll(linesOf('chroot'), 'container');
    for (const c of ['namespaces', 'processes', 'network', 'ipc', 'hostname', 'chroot-escape', 'privileges', 'masked-paths', 'devices', 'memory-limit', 'root'] as const) {
      expect(r[c]!.outcome, c).toBe('contradicts');
    }
    expect(r.kernel!.outcome).toBe('as-claimed');
  });

  it('bwrap (a real container-like sandbox): isolates as claimed, but masks nothing and limits no memory', () => {
    const r = classifyAll(linesOf('bwrap'), 'container', 'bwrap');
    for (const c of ['namespaces', 'processes', 'network', 'ipc', 'hostname', 'chroot-escape', 'kernel', 'root', 'devices', 'mounts', 'privileges'] as const) {
      expect(r[c]!.outcome, `${c}: ${r[c]!.observed}`).toBe('as-claimed');
    }
    expect(r.mounts!.observed).toContain('own mount namespace');
    expect(r['masked-paths']).toMatchObject({ outcome: 'contradicts' });
    expect(r['masked-paths']!.observed).toContain('/proc/keys');
    expect(r['memory-limit']).toMatchObject({ outcome: 'contradicts' });
    expect(r['memory-limit']!.observed).toContain('survived');
  });
});

describe('classify (captured evidence: our engine, runc, the TCG VM)', () => {
  it('our engine and runc: every check as claimed', () => {
    for (const env of ['container', 'runc'] as const) {
      const r = classifyAll(linesOf(env), 'container', env);
      for (const [check, res] of Object.entries(r)) expect(res.outcome, `${env}/${check}: ${res.observed}`).toBe('as-claimed');
      expect(r.devices!.observed).toContain('open EPERM');
      expect(r['memory-limit']!.observed).toContain('SIGKILLed');
    }
  });

  it('the VM: own kernel and TCG CPU; namespaces and masked paths not applicable; devices and syscalls as its kernel decides', () => {
    const r = classifyAll(linesOf('vm'), 'vm');
    expect(outcomes(r)).toMatchObject({ kernel: 'as-claimed', hypervisor: 'as-claimed', processes: 'as-claimed', network: 'as-claimed', ipc: 'as-claimed', 'chroot-escape': 'as-claimed', namespaces: 'not-applicable', 'masked-paths': 'not-applicable', devices: 'as-claimed', syscalls: 'as-claimed', 'cgroup-escape': 'as-claimed', 'host-binary': 'as-claimed', 'memory-limit': 'as-claimed' });
    expect(r.devices!.observed).not.toContain('host\'s token');
    expect(r.hypervisor!.observed).toContain('TCGTCGTCGTCG');
    expect(r.kernel!.observed).toContain('6.1.0');
  });

  it('the VM evidence read as a container contradicts "uses the host kernel"', () => {
    expect(classifyAll(linesOf('vm'), 'container').kernel!.outcome).toBe('contradicts');
  });
});

describe('classify (synthetic edge cases)', () => {
  const hostLines = linesOf('host');
  const vmLine = (check: CheckName, fields: Record<string, JsonValue>): EvidenceLine => ({ ...hostLines.get(check)!, ...fields });

  it('VM: another boot_id is its own kernel; the host boot_id contradicts', () => {
    expect(classify({ check: 'kernel', env: 'vm', kind: 'vm', line: vmLine('kernel', { boot_id: 'aaaaaaaa-0000-0000-0000-000000000000', release: '6.1.0-56-amd64' }), host }).outcome).toBe('as-claimed');
    expect(classify({ check: 'kernel', env: 'vm', kind: 'vm', line: hostLines.get('kernel'), host }).outcome).toBe('contradicts');
  });

  it('VM: a CPU identical to the host\'s cannot decide; a TCG vendor is as claimed', () => {
    const same = classify({ check: 'hypervisor', env: 'vm', kind: 'vm', line: hostLines.get('hypervisor'), host });
    expect(same.outcome).toBe('not-applicable');
    expect(same.observed).toContain('kernel check decides');
    const tcg = classify({ check: 'hypervisor', env: 'vm', kind: 'vm', line: vmLine('hypervisor', { hypervisor_bit: true, vendor: 'TCGTCGTCGTCG', brand: 'QEMU Virtual CPU version 2.5+' }), host });
    expect(tcg.outcome).toBe('as-claimed');
  });

  it('VM: memory bounded by a smaller guest RAM', () => {
    const r = classify({ check: 'memory-limit', env: 'vm', kind: 'vm', line: vmLine('memory-limit', { mem_total_mib: 480, result: 'survived' }), host });
    expect(r.outcome).toBe('as-claimed');
    expect(r.observed).toContain('RAM 480 MiB');
  });

  it('container: an OOM kill past the configured limit is as claimed; surviving it contradicts', () => {
    const killed = vmLine('memory-limit', { configured_mib: 64, alloc_mib: 128, result: 'killed', signal: 9 });
    expect(classify({ check: 'memory-limit', env: 'container', kind: 'container', line: killed, host }).outcome).toBe('as-claimed');
    const survived = vmLine('memory-limit', { configured_mib: 64, alloc_mib: 128, result: 'survived' });
    const r = classify({ check: 'memory-limit', env: 'container', kind: 'container', line: survived, host });
    expect(r.outcome).toBe('contradicts');
    expect(r.observed).toContain('limit 64 MiB configured');
  });

  it('a PID that exists but is not the sentinel counts as hidden', () => {
    const line = vmLine('processes', { kill0: 'ok', cmdline_token: false, visible_pids: 3 });
    expect(classify({ check: 'processes', env: 'container', kind: 'container', line, host }).outcome).toBe('as-claimed');
  });

  it('a listener answering without the token is not the host\'s', () => {
    const line = vmLine('network', { connect: 'connected', listener_token: false, interfaces: ['lo', 'eth0'] });
    expect(classify({ check: 'network', env: 'container', kind: 'container', line, host }).outcome).toBe('as-claimed');
  });

  it('missing or unreadable evidence is never counted as agreeing', () => {
    const missing = classify({ check: 'network', env: 'container', kind: 'container', line: undefined, host });
    expect(missing).toMatchObject({ outcome: 'not-applicable', observed: expect.stringContaining('no evidence') });
    const noProc = vmLine('namespaces', { ns: { pid: 'error:ENOENT' } });
    expect(classify({ check: 'namespaces', env: 'container', kind: 'container', line: noProc, host })).toMatchObject({
      outcome: 'not-applicable',
      observed: expect.stringContaining('could not observe'),
    });
  });

  it('mounts: allowed in a separate mount namespace is confinement, in the host\'s it is not', () => {
    const own = new Map(linesOf('bwrap'));
    const line = own.get('mounts')!;
    expect(classify({ check: 'mounts', env: 'container', kind: 'container', line, host, all: own }).outcome).toBe('as-claimed');
    expect(classify({ check: 'mounts', env: 'container', kind: 'container', line, host, all: hostLines }).outcome).toBe('contradicts');
    const denied = { ...line, tmpfs_mount: 'EPERM' };
    expect(classify({ check: 'mounts', env: 'container', kind: 'container', line: denied, host, all: hostLines }).outcome).toBe('as-claimed');
  });
});

describe('isolated or exposed, whatever the seed claims (captured evidence)', () => {
  const iso = (r: ReturnType<typeof classifyAll>) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.isolation]));

  it('the host is exposed on every axis although every check is as claimed', () => {
    const r = iso(classifyAll(linesOf('host'), 'host'));
    expect(new Set(Object.values(r))).toEqual(new Set(['exposed']));
  });

  it('a chroot is isolated only in its root; it shares everything else', () => {
    const r = iso(classifyAll(linesOf('chroot'), 'chroot'));
    expect(r.root).toBe('isolated');
    for (const c of ['namespaces', 'kernel', 'processes', 'network', 'hostname', 'ipc', 'mounts', 'chroot-escape', 'privileges'] as const) expect(r[c], c).toBe('exposed');
  });

  it('our engine and runc are isolated on every axis but the shared kernel and CPU', () => {
    for (const env of ['container', 'runc'] as const) {
      const r = iso(classifyAll(linesOf(env), 'container', env));
      expect(r.kernel, env).toBe('exposed');
      expect(r.hypervisor, env).toBe('exposed');
      const rest = Object.entries(r).filter(([k]) => k !== 'kernel' && k !== 'hypervisor');
      for (const [k, v] of rest) expect(v, `${env}/${k}`).toBe('isolated');
    }
  });

  it('bwrap: isolated namespaces, but nothing masked and no memory limit', () => {
    const r = iso(classifyAll(linesOf('bwrap'), 'container', 'bwrap'));
    expect(r.processes).toBe('isolated');
    expect(r['masked-paths']).toBe('exposed');
    expect(r['memory-limit']).toBe('exposed');
  });

  it('the VM is isolated wherever the check applies, n/a where its expectation says it does not', () => {
    const r = iso(classifyAll(linesOf('vm'), 'vm'));
    expect(r).toMatchObject({ namespaces: 'n/a', 'masked-paths': 'n/a' });
    for (const c of ['devices', 'kernel', 'hypervisor', 'processes', 'network', 'hostname', 'ipc', 'mounts', 'chroot-escape', 'privileges', 'memory-limit', 'root'] as const) expect(r[c], c).toBe('isolated');
  });
});
