import type { ClaimEvidence } from '../results/claims.js';
import type { PortabilityEvidence } from '../results/types.js';
import type { RunResults } from '../results/types.js';
import { notJudged, type Judge } from './judgement.js';
import { portabilityOf, ranIn, shortDigest } from './read-results.js';

function ev(p: PortabilityEvidence): ClaimEvidence {
  const d = p.digestBefore ? ` ${shortDigest(p.digestBefore)}… → ${p.digestAfter ? `${shortDigest(p.digestAfter)}…` : '?'}` : '';
  return { source: 'facts:portability', detail: `${p.env} via ${p.method}:${d} identical=${p.identical ?? '?'} ranAfter=${p.ranAfter ?? '?'} — ${p.detail}` };
}

function arch(r: RunResults): string {
  return r.manifest?.os?.arch ?? 'x86_64';
}

/** "Completely portable" for the container image and the VM artifact: round-trips with identical digests that ran after. */
export function judgePortable(env: 'container' | 'vm'): Judge {
  return (r) => {
    const ps = portabilityOf(r).filter((p) => p.env === env);
    if (ps.length === 0) return notJudged(`no ${env === 'vm' ? 'VM artifact' : 'container image'} round-trip (export/import or registry) ran in this run`);
    const evidence = ps.map(ev);
    const bad = ps.filter((p) => p.identical === false || p.ranAfter === false);
    if (bad.length) return { verdict: 'refuted', reason: `the artifact did not survive the move: ${bad.map((p) => `${p.method}: ${p.detail}`).join('; ')}`, evidence };
    const good = ps.filter((p) => p.identical && p.ranAfter);
    if (good.length === 0) return { verdict: 'nuanced', reason: `moved, but identity or a run afterwards was not recorded: ${ps.map((p) => p.method).join(', ')}`, evidence };
    const how = good.map((p) => p.method).join(' and ');
    if (env === 'vm') {
      return {
        verdict: 'confirmed',
        reason: `the VM's boot artifact moved (${how}) byte-identical and booted again. It carries its own kernel, so it needs only QEMU on the other side (another CPU architecture runs it under emulation, slowly). Tested within this host.`,
        evidence,
      };
    }
    return {
      verdict: 'nuanced',
      reason: `the image moved (${how}) with identical digests and ran again. "Completely" overstates it: the image holds ${arch(r)} Linux binaries that run on the host's kernel, so it is portable across ${arch(r)} Linux hosts with a compatible kernel, not to any machine. Tested within this host.`,
      evidence,
    };
  };
}

export const judgeChrootNotPortable: Judge = (r) => {
  const ps = portabilityOf(r).filter((p) => p.env === 'chroot');
  if (ps.length) {
    const evidence = ps.map(ev);
    const moved = ps.find((p) => p.ranAfter);
    if (moved) {
      const ident = moved.identical === false ? ' Two copies of the same tree do not even tar to the same bytes, so a copy cannot be checked against the original.' : '';
      return {
        verdict: 'nuanced',
        reason: `"not portable" overstates it: a tar of the chroot tree moved and ran again (${moved.method}) — a directory moves like any files. What a chroot lacks is a format: no manifest, entrypoint or digest, so the command had to be supplied from outside and nothing verifies the copy.${ident}`,
        evidence,
      };
    }
    return { verdict: 'confirmed', reason: `the chroot did not run after the move: ${ps.map((p) => p.detail).join('; ')}`, evidence };
  }
  const ran = ranIn(r, 'chroot');
  if (!ran.text) return notJudged('no chroot ran and no chroot move was tried in this run');
  const digest = r.scenarios.flatMap((x) => x.envs).find((e) => e.env === 'chroot' && e.status === 'ok');
  const from = digest?.status === 'ok' ? digest.imageDigest : r.image?.digest;
  return {
    verdict: 'nuanced',
    reason: `a chroot is a bare directory: no manifest, no entrypoint, no digest — nothing says what it is, what to run or whether a copy is intact. Its files move like any files (this run's chroot tree was unpacked from image ${from ? `${shortDigest(from)}…` : '?'}, the same bytes the container ran), but moving them is the user's job, not chroot's.`,
    evidence: [{ source: 'env:chroot', detail: `ran ${ran.text} from an unpacked copy of image ${from ?? '?'}` }],
  };
};
