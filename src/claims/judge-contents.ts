import type { ClaimEvidence } from '../results/claims.js';
import type { RunResults } from '../results/types.js';
import { notJudged, type Judge, type Judgement } from './judgement.js';
import { checkEvidence, checkOf, fmtBytes, isolationMissing, ranIn, shortDigest, speedMissing } from './read-results.js';

/** Above this the image could be a distribution userland; below it, it is "only what the application needs". */
const MINIMAL_IMAGE_BYTES = 64 * 2 ** 20;

function imageSummary(r: RunResults): { text: string; bytes: number; evidence: ClaimEvidence } | undefined {
  if (!r.image) return undefined;
  const bytes = r.image.layers.reduce((n, l) => n + l.size, 0);
  const layers = r.image.layers.map((l) => l.description).filter(Boolean).join('; ');
  const text = `${fmtBytes(bytes)} in ${r.image.layers.length} layer(s)${layers ? ` (${layers})` : ''}`;
  return { text, bytes, evidence: { source: 'image', detail: `${r.image.name} ${shortDigest(r.image.digest)}…: ${text}` } };
}

function kernelOf(r: RunResults, env: string): Judgement | { kernel: NonNullable<ReturnType<typeof checkOf>> } {
  const missing = isolationMissing(r, env);
  if (missing) return notJudged(missing);
  const kernel = checkOf(r, env, 'kernel');
  if (!kernel || kernel.outcome === 'not-applicable') return notJudged(`no kernel evidence from ${env}`, kernel ? [checkEvidence(kernel)] : []);
  return { kernel };
}

export const judgeVmContents: Judge = (r) => {
  const k = kernelOf(r, 'vm');
  if ('verdict' in k) return k;
  const img = imageSummary(r);
  const evidence = [checkEvidence(k.kernel), ...(img ? [img.evidence] : [])];
  if (k.kernel.outcome === 'contradicts') return { verdict: 'refuted', reason: `the guest reported the host's own kernel: ${k.kernel.observed}`, evidence };
  return {
    verdict: 'nuanced',
    reason: `its own kernel: confirmed (${k.kernel.observed}). "A complete OS" is not required: this run's guest was a kernel plus the same image the container ran${img ? ` (${img.text})` : ''}, with the probe as its init.`,
    evidence,
  };
};

/** Container runtimes other than our engine, judged on the same sentence one by one. */
const OTHER_RUNTIMES = ['runc', 'bwrap', 'docker', 'nspawn', 'gvisor'] as const;

/**
 * "Uses the host's kernel", runtime by runtime, from each one's kernel check
 * (boot_id and uname -r against the host's). gVisor is the exception the
 * sentence does not foresee: its workload talks to a kernel in user space.
 */
function kernelPerRuntime(r: RunResults): { text: string; evidence: ClaimEvidence[] } {
  const parts: string[] = [];
  const evidence: ClaimEvidence[] = [];
  for (const env of OTHER_RUNTIMES) {
    const c = checkOf(r, env, 'kernel');
    if (!c) continue;
    evidence.push(checkEvidence(c));
    const other = /another (running )?kernel/.test(c.observed);
    const host = /the host's running kernel/.test(c.observed);
    if (env === 'gvisor') {
      parts.push(other
        ? `gvisor does NOT run on the host's kernel as the workload sees it: ${c.observed} — gVisor's Sentry, a kernel in user space, answers its system calls (itself a process on the host kernel)`
        : `gvisor: ${c.observed}`);
    } else parts.push(`${env}: ${host ? 'the host\'s kernel (same boot_id)' : c.observed}`);
  }
  return { text: parts.length ? ` Per runtime: ${parts.join('; ')}.` : '', evidence };
}

export const judgeContainerKernel: Judge = (r) => {
  const k = kernelOf(r, 'container');
  if ('verdict' in k) return k;
  const img = imageSummary(r);
  const runtimes = kernelPerRuntime(r);
  const evidence = [checkEvidence(k.kernel), ...(img ? [img.evidence] : []), ...runtimes.evidence];
  if (k.kernel.outcome === 'contradicts') return { verdict: 'refuted', reason: `the container ran another kernel: ${k.kernel.observed}`, evidence };
  const os = img && img.bytes < MINIMAL_IMAGE_BYTES
    ? `"A complete OS" is not what ran: the image is ${img.text} — a few programs and their libraries, no init system (the next sentence says as much).`
    : img ? `The image is ${img.text}.` : 'The image contents were not recorded.';
  return { verdict: 'nuanced', reason: `uses the host's kernel: confirmed for our engine (${k.kernel.observed}). ${os}${runtimes.text}`, evidence };
};

export const judgeContainerMinimal: Judge = (r) => {
  const ran = ranIn(r, 'container', r.image?.digest);
  if (!ran.text) return notJudged(speedMissing(r, 'container') || isolationMissing(r, 'container') || 'the container arm did not run');
  const img = imageSummary(r);
  if (!img) return notJudged('the image was not recorded in results.json');
  const evidence: ClaimEvidence[] = [img.evidence, { source: 'env:container', detail: `ran ${ran.text} from this image` }];
  if (img.bytes >= MINIMAL_IMAGE_BYTES) return { verdict: 'nuanced', reason: `the workloads ran, but this image (${img.text}) is not small: the claim is not shown by it`, evidence };
  return { verdict: 'confirmed', reason: `the container ran ${ran.text} from an image of only ${img.text}: no OS beyond the programs and their libraries.`, evidence };
};

export const judgeChrootContents: Judge = (r) => {
  const k = kernelOf(r, 'chroot');
  if ('verdict' in k) return k;
  const img = imageSummary(r);
  const evidence = [checkEvidence(k.kernel), ...(img ? [img.evidence] : [])];
  return {
    verdict: 'nuanced',
    reason: `anything in user space: chroot accepts any directory tree (here the unpacked image${img ? `, ${img.text}` : ''}). But not a kernel: the chroot runs on the host's (${k.kernel.observed}), so what it holds must suit that kernel and CPU.`,
    evidence,
  };
};

export const judgeContainerArtifact: Judge = (r) => {
  const k = kernelOf(r, 'container');
  if ('verdict' in k) return k;
  const img = imageSummary(r);
  const pid1 = checkOf(r, 'container', 'namespaces');
  const evidence = [checkEvidence(k.kernel), ...(pid1 ? [checkEvidence(pid1)] : []), ...(img ? [img.evidence] : [])];
  if (k.kernel.outcome === 'contradicts') return { verdict: 'refuted', reason: `it did not run on the host's kernel: ${k.kernel.observed}`, evidence };
  return {
    verdict: 'nuanced',
    reason: `"on top of a host OS": yes — the container is a group of host processes on the host's kernel (${k.kernel.observed}). "A minimized OS" only in user-space terms: it has no kernel and no init of its own (its PID 1 is the workload)${img ? `; here it held ${img.text}` : ''}.`,
    evidence,
  };
};
