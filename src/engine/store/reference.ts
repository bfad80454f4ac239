import { StoreError } from './errors.js';

/**
 * Normalizes an image name to "name:tag" ("isobench/workload" ->
 * "isobench/workload:latest"). A registry host with a port keeps its colon:
 * the tag is only what follows a ':' after the last '/'.
 */
export function normalizeRef(ref: string): string {
  const s = ref.trim();
  if (s === '' || /[\s\0]/.test(s) || s.includes('@')) {
    throw new StoreError('STORE_BAD_REFERENCE', `not an image name: ${JSON.stringify(ref)}`, {
      hint: 'use name[:tag], e.g. isobench/workload:latest',
    });
  }
  const slash = s.lastIndexOf('/');
  const colon = s.lastIndexOf(':');
  const hasTag = colon > slash;
  const name = hasTag ? s.slice(0, colon) : s;
  const tag = hasTag ? s.slice(colon + 1) : 'latest';
  if (!/^[a-z0-9]+([._\-/:][a-z0-9]+)*$/i.test(name) || !/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) {
    throw new StoreError('STORE_BAD_REFERENCE', `not an image name: ${JSON.stringify(ref)}`, {
      hint: 'use name[:tag] with letters, digits, ".", "_", "-", "/" (tag up to 128 characters)',
    });
  }
  return `${name}:${tag}`;
}
