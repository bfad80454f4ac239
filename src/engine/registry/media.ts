import { MEDIA_TYPES } from '../store/oci-types.js';

/** Manifest media types we ask for on pull, best first. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.manifest,
  MEDIA_TYPES.index,
  MEDIA_TYPES.dockerManifest,
  'application/vnd.docker.distribution.manifest.list.v2+json',
] as const;

export const INDEX_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.index, 'application/vnd.docker.distribution.manifest.list.v2+json']);
export const MANIFEST_TYPES: ReadonlySet<string> = new Set([MEDIA_TYPES.manifest, MEDIA_TYPES.dockerManifest]);

/** The media type of a manifest/index document: its own field, else the HTTP Content-Type, else by shape. */
export function documentMediaType(doc: { mediaType?: unknown; manifests?: unknown }, contentType: string | null): string {
  if (typeof doc.mediaType === 'string' && doc.mediaType) return doc.mediaType;
  const ct = contentType?.split(';')[0]?.trim();
  if (ct && (INDEX_TYPES.has(ct) || MANIFEST_TYPES.has(ct))) return ct;
  return Array.isArray(doc.manifests) ? MEDIA_TYPES.index : MEDIA_TYPES.manifest;
}

/** OCI platform of this process, to pick one manifest out of an index. */
export function hostPlatform(): { os: string; architecture: string } {
  const arch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' };
  return { os: 'linux', architecture: arch[process.arch] ?? process.arch };
}
