import { describe, expect, it } from 'vitest';
import { dockerArchiveManifest, dockerdArgs, dockerRunArgs } from '../../../src/envs/docker/docker-args.js';
import { dockerImageName, dockerPaths } from '../../../src/envs/docker/paths.js';
import { resolveHome } from '../../../src/core/home.js';

describe('docker argv builders', () => {
  const home = resolveHome('/srv/isobench-home');
  const p = dockerPaths(home);

  it('our dockerd: own socket, exec-root, data-root and config; never the host firewall or a bridge', () => {
    const a = dockerdArgs('/usr/sbin/dockerd', p);
    expect(a[0]).toBe('/usr/sbin/dockerd');
    expect(a).toEqual(expect.arrayContaining(['--host', `unix://${p.socket}`, '--data-root', '/srv/isobench-home/docker/data', '--exec-root', p.execRoot, '--pidfile', p.pidfile, '--config-file', p.configFile]));
    for (const f of ['--iptables=false', '--ip-forward=false', '--ip-masq=false', '--bridge=none']) expect(a).toContain(f);
    expect(a.join(' ')).not.toContain('/var/run/docker.sock');
    expect(a.join(' ')).not.toContain('/var/lib/docker');
    // Tagged by the home, short enough for unix socket paths.
    expect(p.execRoot).toBe(`/run/isobench-docker-${home.tag}`);
    expect(`${p.execRoot}/containerd/containerd.sock.ttrpc`.length).toBeLessThan(108);
  });

  it('docker run --rm: limits, network, env, entrypoint from argv[0]', () => {
    const a = dockerRunArgs({
      bin: '/usr/bin/docker', socket: '/run/x/docker.sock', image: 'isobench/workload:abc', network: 'none', hostname: 'container',
      argv: ['/isobench/probe', 'ready', 'TOK', '--', '/bin/true'], env: { PATH: '/bin', LANG: 'C' },
      limits: { memoryBytes: 64 << 20, pids: 100, cpus: 1.5 },
    });
    expect(a).toEqual([
      '/usr/bin/docker', '--host', 'unix:///run/x/docker.sock', 'run', '--rm', '--network', 'none', '--hostname', 'container',
      '--memory', String(64 << 20), '--memory-swap', String(64 << 20), '--pids-limit', '100', '--cpus', '1.5',
      '--env', 'PATH=/bin', '--env', 'LANG=C',
      '--entrypoint', '/isobench/probe', 'isobench/workload:abc', 'ready', 'TOK', '--', '/bin/true',
    ]);
  });

  it('no limit flags when the scenario sets none', () => {
    const a = dockerRunArgs({ bin: 'docker', socket: '/s', image: 'i', network: 'none', hostname: 'h', argv: ['/p'], env: {}, limits: {} });
    expect(a.some((x) => x.startsWith('--memory') || x === '--pids-limit' || x === '--cpus')).toBe(false);
  });

  it('Docker archive manifest points at the OCI blobs by path; the image name carries the manifest digest', () => {
    expect(dockerArchiveManifest('isobench/workload:0123', 'sha256:aa', ['sha256:bb', 'sha256:cc'])).toEqual([
      { Config: 'blobs/sha256/aa', RepoTags: ['isobench/workload:0123'], Layers: ['blobs/sha256/bb', 'blobs/sha256/cc'] },
    ]);
    expect(dockerImageName('sha256:0123456789abcdef0123')).toBe('isobench/workload:0123456789abcdef');
  });
});
