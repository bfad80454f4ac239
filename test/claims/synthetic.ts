import { RESULTS_SCHEMA_VERSION, type CheckResult, type HostFacts, type IsolationResults, type JsonRecord, type RunResults, type ScenarioResult, type EnvResultOk, type SummaryStats, type RatioEstimate } from '../../src/results/types.js';

/** Builders for synthetic results.json objects: judges are pure functions of them. */

export const DIGEST = 'sha256:1111111111111111111111111111111111111111111111111111111111111111';

export function stats(median: number, n = 8): SummaryStats {
  return { n, mean: median, median, sd: 0, mad: 0, min: median, max: median, p5: median, p95: median * 1.1, outliers: [] };
}

export function ratio(r: number, lo: number, hi: number): RatioEstimate {
  return { ratio: r, lo, hi, confidence: 0.95, method: 'bootstrap-percentile', resamples: 2000 };
}

export function okEnv(env: string, startupMedian: number, ratios: Record<string, RatioEstimate> = {}, accelerator?: 'kvm' | 'tcg'): EnvResultOk {
  const kind = env === 'vm' ? 'vm' : env === 'host' ? 'host' : env === 'chroot' ? 'chroot' : 'container';
  return {
    env, kind, status: 'ok', imageDigest: DIGEST, commandLine: ['x'], warmup: [], samples: [],
    stats: { startupMs: stats(startupMedian), execMs: stats(10) },
    ...(env === 'host' ? {} : { ratioToHost: ratios }),
    ...(accelerator ? { accelerator } : {}),
  };
}

export function scenario(name: string, type: string, metric: string, envs: EnvResultOk[], higherIsBetter = true): ScenarioResult {
  return {
    name, description: name, file: `${name}.yaml`, workload: { type, params: {} },
    primaryMetric: { name: metric, unit: 'x', higherIsBetter }, metrics: [], rounds: 8, warmup: 1, envs,
  };
}

export function check(env: string, name: string, outcome: CheckResult['outcome'], observed = `${name} observed`, raw?: JsonRecord): CheckResult {
  return { check: name, env, expected: `${name} expected`, observed, outcome, evidence: '{}', ...(raw !== undefined ? { raw } : {}) };
}

/** A host as the isolation phase records it (the judges read only the checks). */
export const HOST_FACTS: HostFacts = {
  recordedAt: '2026-01-01T00:00:00Z', bootId: 'b', kernelRelease: '6.1.0', hostname: 'h', ns: {}, hypervisor: { bit: false, vendor: null, brand: null },
  interfaces: ['lo'], maskedPaths: { read: {}, write: {} }, memTotalMiB: 1024, evidence: {},
};

export function isolation(envs: string[], checks: CheckResult[]): IsolationResults {
  return { hostFacts: HOST_FACTS, envs: envs.map((env) => ({ env, status: 'ok' as const })), checks };
}

export function results(over: Partial<RunResults> = {}): RunResults {
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION, runId: 'r', startedAt: '2026-01-01T00:00:00Z', command: ['bench'],
    tool: { name: 'isobench', version: '0', gitRevision: 'x' },
    manifest: {
      hostname: 'h', cpu: { model: 'cpu', cores: 2, physicalCores: 2 }, memoryBytes: 1, os: { distro: 'd', release: 'r', kernel: 'k', arch: 'x64' },
      virtualization: { hostIsVirtual: true, kvm: 'PVM: /dev/kvm present but guests cannot use it' }, cgroup: 'v1', tools: {}, node: '20', gitRevision: 'x',
    },
    image: { name: 'isobench/workload:latest', digest: DIGEST, layers: [{ digest: 'sha256:aa', size: 3 * 2 ** 20, description: 'busybox' }, { digest: 'sha256:bb', size: 2 * 2 ** 20, description: 'probe + sysbench' }] },
    options: { scenarios: [], envs: [] },
    environments: [
      { name: 'host', kind: 'host', status: 'available' },
      { name: 'chroot', kind: 'chroot', status: 'available' },
      { name: 'container', kind: 'container', status: 'available' },
      { name: 'vm', kind: 'vm', status: 'available', accelerator: 'kvm' },
    ],
    scenarios: [],
    warnings: [],
    ...over,
  };
}

/** The all-good isolation picture for host, chroot (with its escape), container and vm. */
export function typicalIsolation(): IsolationResults {
  const all = ['namespaces', 'kernel', 'hypervisor', 'processes', 'root', 'network', 'hostname', 'ipc', 'mounts', 'chroot-escape', 'privileges', 'masked-paths', 'devices', 'syscalls', 'cgroup-escape', 'host-binary', 'memory-limit'];
  const checks: CheckResult[] = [];
  for (const env of ['host', 'chroot', 'container', 'vm']) {
    for (const c of all) {
      let outcome: CheckResult['outcome'] = 'as-claimed';
      if (env === 'chroot' && c === 'chroot-escape') outcome = 'contradicts';
      if (env === 'host' && c === 'chroot-escape') outcome = 'not-applicable';
      if (env === 'vm' && ['namespaces', 'masked-paths'].includes(c)) outcome = 'not-applicable';
      const raw = c === 'network' && env === 'container' ? { check: 'network', interfaces: ['lo', 'eth0'] } : undefined;
      checks.push(check(env, c, outcome, `${c}@${env} observed`, raw));
    }
  }
  return isolation(['host', 'chroot', 'container', 'vm'], checks);
}
