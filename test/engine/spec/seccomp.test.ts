import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../src/core/version.js';
import { CLONE_NAMESPACE_FLAGS, DENIED_SYSCALLS, ociSeccomp } from '../../../src/engine/spec/seccomp.js';
import { runcConfig } from '../../../src/envs/runc/runc-config.js';

/** The names inside SYSCALL_DENY_LIST(X) of the shim's compiled filter. */
function shimDenyList(): string[] {
  const src = readFileSync(path.join(REPO_ROOT, 'src', 'native', 'nsexec', 'seccomp.c'), 'utf8');
  const start = src.indexOf('#define SYSCALL_DENY_LIST(X)');
  const end = src.indexOf('\n\n', start);
  return [...src.slice(start, end).matchAll(/X\((\w+)\)/g)].map((m) => m[1]!).sort();
}

describe('the engine\'s seccomp policy', () => {
  it('the shim\'s BPF deny-list and the OCI one given to runc are the same list', () => {
    expect(shimDenyList()).toEqual([...DENIED_SYSCALLS].sort());
    expect(DENIED_SYSCALLS).toEqual(expect.arrayContaining(['keyctl', 'add_key', 'userfaultfd', 'io_uring_setup', 'perf_event_open', 'bpf', 'kexec_load', 'init_module', 'open_by_handle_at', 'unshare', 'setns', 'mount']));
  });

  it('as OCI: default allow, the list refused with EPERM, clone3 ENOSYS, clone refused per namespace flag', () => {
    const s = ociSeccomp() as { defaultAction: string; syscalls: Array<{ names: string[]; action: string; errnoRet: number; args?: Array<{ value: number; valueTwo: number; op: string }> }> };
    expect(s.defaultAction).toBe('SCMP_ACT_ALLOW');
    expect(s.syscalls[0]).toMatchObject({ names: [...DENIED_SYSCALLS], action: 'SCMP_ACT_ERRNO', errnoRet: 1 });
    expect(s.syscalls[1]).toMatchObject({ names: ['clone3'], errnoRet: 38 });
    const clone = s.syscalls.filter((r) => r.names[0] === 'clone');
    expect(clone.map((r) => r.args![0]!.value).sort()).toEqual(Object.values(CLONE_NAMESPACE_FLAGS).sort());
    expect(clone.every((r) => r.args![0]!.op === 'SCMP_CMP_MASKED_EQ' && r.args![0]!.value === r.args![0]!.valueTwo)).toBe(true);
    const cfg = runcConfig({ rootfs: '/r', argv: ['/bin/true'], env: [], hostname: 'h', cgroupsPath: '/x/y', limits: {} }) as { linux: { seccomp: unknown } };
    expect(cfg.linux.seccomp).toEqual(ociSeccomp());
  });
});
