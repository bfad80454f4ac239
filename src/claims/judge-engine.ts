import type { ClaimEvidence } from '../results/claims.js';
import { notJudged, type Judge } from './judgement.js';
import { checkEvidence, checkOf, isolationMissing, ranIn, speedMissing } from './read-results.js';

export const judgeEngineRunsContainers: Judge = (r) => {
  const ran = ranIn(r, 'container');
  if (!ran.text) return notJudged(speedMissing(r, 'container') || isolationMissing(r, 'container') || 'the container arm did not run');
  const evidence: ClaimEvidence[] = [{ source: 'env:container', detail: `isobench's own engine created, started, waited for and removed the containers of ${ran.text}` }];
  const f = r.facts?.engine;
  const many = f?.concurrent && f.allRunningAtOnce ? f.concurrent : undefined;
  if (many) evidence.push({ source: 'facts:engine', detail: `${many} containers managed at once` });
  return { verdict: 'confirmed', reason: `isobench's own engine created, started, waited for and removed every container of this run (${ran.text}${many ? `, plus ${many} at once` : ''}).`, evidence };
};

export const judgeEngineHypervisor: Judge = (r) => {
  const missing = isolationMissing(r, 'container');
  if (missing) return notJudged(missing);
  const hv = checkOf(r, 'container', 'hypervisor');
  const kernel = checkOf(r, 'container', 'kernel');
  const ns = checkOf(r, 'container', 'namespaces');
  const evidence = [hv, kernel, ns].filter((c) => c !== undefined).map((c) => checkEvidence(c!));
  if (!hv || !kernel) return notJudged('no CPUID or kernel evidence from the container', evidence);
  return {
    verdict: 'nuanced',
    reason: `as an analogy of roles, yes: the engine creates, starts, limits and separates containers as a hypervisor does VMs. As a mechanism, no: nothing is virtualized — the container sees the host's CPU as is (${hv.observed}) and runs on the host's kernel (${kernel.observed}); the separation is the kernel's namespaces and cgroups, set up by the engine.`,
    evidence,
  };
};

/** A scenario whose workload talks over the network between host and environment (the network scenario). */
function networkScenario(r: Parameters<Judge>[0]): string | undefined {
  return r.scenarios.find((s) => /net/i.test(s.workload.type) && s.envs.some((e) => e.env === 'container' && e.status === 'ok'))?.name;
}

export const judgeEngineNetwork: Judge = (r) => {
  const scen = networkScenario(r);
  const net = checkOf(r, 'container', 'network');
  const evidence = net ? [checkEvidence(net)] : [];
  if (scen) {
    evidence.push({ source: `scenario:${scen}`, detail: 'host <-> container traffic over the interface the engine attached' });
    return { verdict: 'confirmed', reason: `the engine attached a network interface to the container and the ${scen} scenario exchanged data with it from the host.`, evidence };
  }
  const missing = isolationMissing(r, 'container');
  if (missing) return notJudged(missing);
  if (!net) return notJudged('no network evidence from the container');
  const listed = net.raw?.interfaces;
  const ifs = Array.isArray(listed) ? listed.filter((x): x is string => typeof x === 'string') : undefined;
  if (net.outcome === 'contradicts') return { verdict: 'refuted', reason: `the container used the host's network stack rather than one the engine provided: ${net.observed}`, evidence };
  if (!ifs) return notJudged('the container\'s interface list was not recorded', evidence);
  const own = ifs.filter((i) => i !== 'lo');
  if (own.length === 0) {
    return notJudged(`the container arm ran with loopback only (its own, empty network namespace: ${ifs.join(', ')}) and no network scenario ran, so this run never asked the engine for an interface`, evidence);
  }
  return { verdict: 'confirmed', reason: `the engine gave the container its own interface(s) ${own.join(', ')} in a separate network namespace (plus lo); the host's loopback listener stayed unreachable.`, evidence };
};

export const judgeEngineSeparates: Judge = (r) => {
  // Direct evidence (isolation phase): container B probed for container A's process and shm segment.
  const sep = r.facts?.containerSeparation;
  if (sep && sep.status === 'ok' && sep.separated !== undefined) {
    const detail = sep.evidence ?? `separated: ${sep.separated}`;
    const evidence = [{ source: 'facts:containerSeparation', detail }];
    return sep.separated
      ? { verdict: 'confirmed', reason: `observed directly: a second container of the engine could see neither the first one's process nor its SysV shm segment (${detail})`, evidence }
      : { verdict: 'refuted', reason: `a container of the engine could see another container's objects (${detail})`, evidence };
  }
  const missing = isolationMissing(r, 'container');
  if (missing) return notJudged(missing);
  const ns = checkOf(r, 'container', 'namespaces');
  if (!ns || ns.outcome !== 'as-claimed') return notJudged(`no container-to-container test ran, and the namespaces check did not show separate namespaces (${ns?.observed ?? 'missing'})`, ns ? [checkEvidence(ns)] : []);
  return {
    verdict: 'nuanced',
    reason: `inferred, not observed directly: each container gets fresh namespaces of its own (${ns.observed}), so two containers share no process, IPC, network or mount view; this run did not probe one container from another.`,
    evidence: [checkEvidence(ns)],
  };
};

export const judgeEnginePersist: Judge = (r) => {
  const v = r.facts?.volumes;
  if (!v || v.persisted === undefined) return notJudged('no volume round-trip (write in one container, read in the next) ran in this run');
  const evidence = [{ source: 'facts:volumes', detail: v.detail ?? `persisted: ${v.persisted}` }];
  return v.persisted
    ? { verdict: 'confirmed', reason: `data written into a named volume by one container was read by a second after the first was removed${v.detail ? ` (${v.detail})` : ''}.`, evidence }
    : { verdict: 'refuted', reason: `the volume's data did not survive the container${v.detail ? ` (${v.detail})` : ''}`, evidence };
};
