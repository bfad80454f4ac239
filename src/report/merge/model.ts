import type { ClaimRow, ManifestDiffRow, MergedClaim, MergedHost, MergedRatioCell, MergedReport, MergedScenario, RunResults } from '../../results/types.js';
import { MERGE_SCHEMA_VERSION } from '../../results/merge.js';

/** One input of a merge: the parsed results and the file it came from. */
export interface MergeInput {
  file: string;
  results: RunResults;
}

/**
 * How a host ran its VM: KVM, TCG, or PVM when /dev/kvm is a PVM device (a
 * KVM that only runs PVM-enlightened guests). Looked up like the claims do:
 * the vm environment's info, then its scenario results, then the manifest.
 */
export function acceleratorOf(r: RunResults): string {
  const info = r.environments.find((e) => e.kind === 'vm');
  let acc: string | undefined = info?.accelerator;
  for (const s of r.scenarios) for (const e of s.envs) if (!acc && e.status === 'ok' && e.kind === 'vm' && e.accelerator) acc = e.accelerator;
  acc ??= r.manifest.virtualization.accelerator;
  const kvmText = info?.facts?.kvm ?? r.manifest.virtualization.kvm;
  const pvm = /^pvm\b/i.test(kvmText) ? ' (/dev/kvm is PVM)' : '';
  return `${acc ? acc.toUpperCase() : 'no VM run'}${pvm}`;
}

function hostIds(inputs: MergeInput[]): MergedHost[] {
  const seen = new Map<string, number>();
  return inputs.map(({ file, results: r }) => {
    const base = r.manifest.label ?? r.manifest.hostname;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      id: n === 1 ? base : `${base} #${n}`,
      ...(r.manifest.label ? { label: r.manifest.label } : {}),
      hostname: r.manifest.hostname,
      runId: r.runId,
      file,
      ...(n > 1 ? { repeatOf: base } : {}),
    };
  });
}

function manifestDiff(rs: RunResults[]): ManifestDiffRow[] {
  const rows: [string, (r: RunResults) => string][] = [
    ['hostname', (r) => r.manifest.hostname],
    ['CPU', (r) => r.manifest.cpu.model],
    ['cores', (r) => `${r.manifest.cpu.cores} (${r.manifest.cpu.physicalCores} physical)`],
    ['memory', (r) => `${(r.manifest.memoryBytes / 2 ** 30).toFixed(1)} GiB`],
    ['OS', (r) => `${r.manifest.os.distro} ${r.manifest.os.release}`],
    ['kernel', (r) => r.manifest.os.kernel],
    ['arch', (r) => r.manifest.os.arch],
    ['cgroup mode', (r) => r.manifest.cgroup],
    ['accelerator', acceleratorOf],
    ['KVM probe', (r) => r.manifest.virtualization.kvm],
    ['host is virtual', (r) => (r.manifest.virtualization.hostIsVirtual ? `yes${r.manifest.virtualization.hypervisor ? ` (${r.manifest.virtualization.hypervisor})` : ''}` : 'no')],
    ['image digest', (r) => r.image?.digest ?? 'none'],
    ['isobench', (r) => `${r.tool.version} (${r.tool.gitRevision.slice(0, 12)})`],
    ['node', (r) => r.manifest.node],
    ['rounds', (r) => String(r.options.rounds ?? 'per scenario')],
    ['command', (r) => r.command.join(' ')],
  ];
  const tools = [...new Set(rs.flatMap((r) => Object.keys(r.manifest.tools)))].sort();
  for (const t of tools) rows.push([`tool: ${t}`, (r) => r.manifest.tools[t] ?? 'absent']);
  return rows.map(([field, get]) => {
    const values = rs.map(get);
    return { field, values, differs: new Set(values).size > 1 };
  });
}

function cellOf(r: RunResults, scenario: string, env: string, metric: string): MergedRatioCell {
  const s = r.scenarios.find((x) => x.name === scenario);
  const e = s?.envs.find((x) => x.env === env);
  if (!e) return { status: 'absent' };
  if (e.status === 'skipped') return { status: 'skipped', note: e.reason };
  if (e.status === 'failed') return { status: 'failed', note: e.error.message };
  if (e.kind === 'host') return { status: 'baseline', ratio: 1 };
  const ci = e.ratioToHost?.[metric];
  const acc = e.accelerator ? { accelerator: e.accelerator } : {};
  if (!ci) return { status: 'ok', ...acc, note: 'no ratio: the host did not run this scenario' };
  return { status: 'ok', ratio: ci.ratio, lo: ci.lo, hi: ci.hi, ...acc };
}

function scenarios(rs: RunResults[]): MergedScenario[] {
  const out: MergedScenario[] = [];
  const names = [...new Set(rs.flatMap((r) => r.scenarios.map((s) => s.name)))];
  for (const name of names) {
    const first = rs.flatMap((r) => r.scenarios).find((s) => s.name === name)!;
    const envs = [...new Set(rs.flatMap((r) => r.scenarios.filter((s) => s.name === name).flatMap((s) => s.envs.map((e) => e.env))))];
    // The primary metric, and startup beside it when the primary metric is something else.
    const metrics = [first.primaryMetric, ...(first.primaryMetric.name !== 'startupMs' ? [{ name: 'startupMs', unit: 'ms', higherIsBetter: false }] : [])];
    for (const m of metrics) {
      out.push({
        scenario: name,
        metric: m.name,
        unit: m.unit,
        higherIsBetter: m.higherIsBetter,
        rows: envs.map((env) => ({ env, cells: rs.map((r) => cellOf(r, name, env, m.name)) })),
      });
    }
  }
  return out;
}

const clip = (s: string, n = 200): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const evidenceLines = (c: ClaimRow): string[] => c.evidence.map((e) => clip(`${e.source}: ${e.detail}`));

function claims(rs: RunResults[]): MergedClaim[] {
  const ids: string[] = [];
  const sentence = new Map<string, string>();
  for (const r of rs) for (const c of r.claims ?? []) if (!sentence.has(c.id)) { ids.push(c.id); sentence.set(c.id, c.sentence); }
  return ids.map((id) => {
    const verdicts = rs.map((r) => {
      const c = r.claims?.find((x) => x.id === id);
      return c ? { verdict: c.verdict, reason: c.reason, evidence: evidenceLines(c) } : { verdict: 'absent' as const, reason: 'not in this run (claims phase did not run)', evidence: [] };
    });
    const judged = verdicts.filter((v) => v.verdict !== 'absent');
    return { id, sentence: sentence.get(id)!, verdicts, differs: new Set(judged.map((v) => v.verdict)).size > 1 };
  });
}

/** "sentence: not-judged on A (TCG: reason), confirmed on B (KVM: evidence)". */
function differingLine(c: MergedClaim, hosts: MergedHost[], rs: RunResults[]): string {
  const parts = c.verdicts.map((v, i) => {
    if (v.verdict === 'absent') return `absent on ${hosts[i]!.id}`;
    // The first two pieces of evidence are what differs in practice; the full lists are in merged.json.
    const why = v.evidence.length ? v.evidence.slice(0, 2).join('; ') : clip(v.reason);
    return `${v.verdict} on ${hosts[i]!.id} (${acceleratorOf(rs[i]!)}; ${why})`;
  });
  return `${c.sentence} [${c.id}]: ${parts.join(', ')}`;
}

/** Pure: the cross-host comparison of several parsed runs. */
export function mergeResults(inputs: MergeInput[], createdAt = new Date().toISOString()): MergedReport {
  const rs = inputs.map((i) => i.results);
  const hosts = hostIds(inputs);
  const flags: string[] = [];
  const digests = new Set(rs.map((r) => r.image?.digest ?? 'none'));
  if (digests.size > 1) {
    flags.push(`different image digests: ${hosts.map((h, i) => `${h.id} ${rs[i]!.image?.digest ?? 'none'}`).join(', ')}: the hosts did not run the same image, so part of a difference may be the image's`);
  }
  for (const h of hosts) if (h.repeatOf) flags.push(`${h.id} is a repeat run of ${h.repeatOf}: kept as its own column`);
  const cl = claims(rs);
  return {
    mergeSchemaVersion: MERGE_SCHEMA_VERSION,
    resultsSchemaVersion: rs[0]?.schemaVersion ?? 0,
    createdAt,
    hosts,
    manifestDiff: manifestDiff(rs),
    flags,
    scenarios: scenarios(rs),
    claims: cl,
    differingVerdicts: cl.filter((c) => c.differs).map((c) => differingLine(c, hosts, rs)),
  };
}
