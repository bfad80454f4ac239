import type { ClaimEvidence } from '../results/claims.js';
import type { EngineFacts, RunResults } from '../results/types.js';
import { notJudged, type Judge } from './judgement.js';
import { fmtBytes, portabilityOf, ranIn, shortDigest, speedMissing } from './read-results.js';

/** The image digest each environment ran, per scenario (a run may use several images, one per scenario). */
function digests(r: RunResults): { scenario: string; byEnv: Map<string, string> }[] {
  return r.scenarios.map((s) => ({ scenario: s.name, byEnv: new Map(s.envs.filter((e) => e.status === 'ok').map((e) => [e.env, (e as { imageDigest: string }).imageDigest])) }));
}

export const judgeImageIsBase: Judge = (r) => {
  if (!r.image) return notJudged('no image was recorded in results.json');
  const ran = ranIn(r, 'container');
  if (!ran.text) return notJudged(speedMissing(r, 'container') || 'the container arm did not run');
  const images = r.images ?? [r.image];
  const known = new Map(images.map((i) => [i.digest, i]));
  const per = digests(r);
  const containerRan = new Set(per.map((p) => p.byEnv.get('container')).filter((x): x is string => x !== undefined));
  const evidence: ClaimEvidence[] = per.filter((p) => p.byEnv.size > 0).map((p) => ({
    source: `scenario:${p.scenario}`,
    detail: [...p.byEnv].map(([env, dig]) => `${env} ran ${shortDigest(dig)}…`).join(', '),
  }));
  const stranger = [...containerRan].find((d) => !known.has(d));
  if (stranger) return { verdict: 'refuted', reason: `the container ran ${stranger}, which is none of the run's images (${images.map((i) => i.digest).join(', ')})`, evidence };
  if (containerRan.size === 0) evidence.push({ source: 'env:container', detail: `prepared from the run's image ${shortDigest(r.image.digest)}… (${ran.text})` });
  const used = containerRan.size ? [...containerRan].map((d) => known.get(d)!) : [r.image];
  const same = per.some((p) => p.byEnv.size > 1) && per.every((p) => new Set(p.byEnv.values()).size <= 1);
  const named = used.map((i) => `${i.name} ${shortDigest(i.digest)}… (${i.layers.length} layers)`).join(' and ');
  return {
    verdict: 'confirmed',
    reason: `every container was made from ${used.length > 1 ? 'one of the images' : 'the image'} ${named}: the image fixes its whole filesystem, the container adds only a writable layer and a process${same ? '; in each scenario the host, chroot and VM arms ran the very same bytes' : ''}.`,
    evidence,
  };
};

function rwSummary(rw: number[]): string {
  const sorted = [...rw].sort((a, b) => a - b);
  const med = sorted[Math.floor(sorted.length / 2)] ?? 0;
  return `median ${fmtBytes(med)}, max ${fmtBytes(sorted[sorted.length - 1] ?? 0)} per container`;
}

/** The rw-layer sentences, judged on the engine-facts phase (many containers from one image at once). */
export function judgeRwLayer(kind: 'adds-rw' | 'no-copy' | 'rw-only' | 'many'): Judge {
  return (r) => {
    const f = r.facts?.engine;
    if (!f) return notJudged('the engine-facts measurement (containers from one image, rw bytes, layer dirs before/after) is not in this run');
    const evidence: ClaimEvidence[] = [{ source: 'facts:engine', detail: factsLine(f) }];
    if (f.status === 'skipped') return notJudged(`the engine-facts measurement was skipped: ${f.reason ?? 'no reason recorded'}`, evidence);
    const rw = f.rwBytesPerContainer;
    if (f.status === 'failed' && rw.length === 0) return notJudged(`the engine-facts measurement failed: ${f.reason ?? 'no reason recorded'}`, evidence);
    if (kind === 'many') {
      if (f.concurrent >= 2 && f.allRunningAtOnce) return { verdict: 'confirmed', reason: `${f.concurrent} containers ran at the same time from one image${rw.length ? `, each with its own rw layer (${rwSummary(rw)})` : ''}.`, evidence };
      return { verdict: 'refuted', reason: `${f.concurrent} containers were started from one image but they were not all running at once${f.reason ? ` (${f.reason})` : ''}`, evidence };
    }
    if (rw.length === 0) return notJudged('engine facts have no per-container rw bytes', evidence);
    const size = `${rw.length} containers added ${rwSummary(rw)}${f.imageBytes ? ` on top of ${fmtBytes(f.imageBytes)} of shared image layers` : ''}`;
    if (!f.snapshotsUnchanged) return { verdict: 'refuted', reason: `the image's layer directories changed while containers ran: ${size}`, evidence };
    if (f.copiedImageBytes > 0) return { verdict: 'refuted', reason: `${fmtBytes(f.copiedImageBytes)} of image files were copied into rw layers: ${size}`, evidence };
    const max = Math.max(...rw);
    if (f.imageBytes && max >= f.imageBytes * 0.5) return { verdict: 'refuted', reason: `a container added as much as a copy of the image would: ${size}`, evidence };
    const text = {
      'adds-rw': `each container is the shared, unchanged image layers plus its own rw layer: ${size}; the layer directories hashed identical before and after.`,
      'no-copy': `starting a container copied nothing of the image: 0 bytes of image files in any rw layer; ${size}.`,
      'rw-only': `only an rw layer per container appeared on disk: ${size}; nothing was written into the image's directories (same tree hash before and after).`,
    }[kind];
    return { verdict: 'confirmed', reason: text, evidence };
  };
}

function factsLine(f: EngineFacts): string {
  const parts = [
    `status ${f.status}${f.reason ? ` (${f.reason})` : ''}`,
    `${f.concurrent} containers${f.allRunningAtOnce ? ' running at once' : ''}`,
    f.rwBytesPerContainer.length > 0 && `rw ${rwSummary(f.rwBytesPerContainer)}`,
    `image layers ${fmtBytes(f.imageBytes)}`,
    `copied-up image bytes ${f.copiedImageBytes}`,
    `snapshots ${f.snapshotsUnchanged ? 'unchanged' : 'CHANGED'}`,
  ].filter(Boolean);
  return parts.join('; ');
}

export const judgeRegistry: Judge = (r) => {
  const reg = r.facts?.registry;
  const viaRegistry = portabilityOf(r).filter((p) => /registry/i.test(p.method));
  const evidence: ClaimEvidence[] = viaRegistry.map((p) => ({ source: 'facts:portability', detail: `${p.env} ${p.method}: ${p.detail}` }));
  if (reg?.pushedDigest) evidence.unshift({ source: 'facts:registry', detail: `pushed ${shortDigest(reg.pushedDigest)}… pulled ${reg.pulledDigest ? `${shortDigest(reg.pulledDigest)}…` : '?'} via ${reg.server ?? reg.registry ?? 'a registry'}` });
  if (reg?.status === 'skipped') return notJudged(`the registry round-trip was skipped: ${reg.reason ?? 'no reason recorded'}`, evidence);
  if (reg?.status === 'failed') return notJudged(`the registry round-trip failed: ${reg.error?.message ?? 'no message'}`, evidence);
  const identical = reg?.identical ?? viaRegistry.find((p) => p.identical !== undefined)?.identical;
  if (identical === undefined) {
    return notJudged('no registry push/pull round-trip ran in this run (the engine\'s default store is a local OCI layout)', evidence);
  }
  if (!identical) return { verdict: 'refuted', reason: 'the image did not come back from the registry with the same digest', evidence };
  const ran = reg?.ranAfter ?? viaRegistry.find((p) => p.ranAfter !== undefined)?.ranAfter;
  return {
    verdict: 'confirmed',
    reason: `the image was pushed to ${reg?.server ?? 'a registry'} over the OCI distribution API and pulled back into an empty store with an identical digest${ran ? ', and the pulled image ran' : ran === false ? ', though the pulled image did not run' : ''}. The engine also keeps images in its local OCI layout store, which plays the registry's role on one host.`,
    evidence,
  };
};
