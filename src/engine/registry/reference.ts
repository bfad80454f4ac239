import { isDigest } from '../store/digest.js';
import { RegistryError } from './errors.js';

/** host[:port]/repository[:tag|@sha256:...], split into what the API paths need. */
export interface RemoteReference {
  /** host or host:port, as given (no scheme). */
  registry: string;
  /** Repository path, e.g. "isobench/workload". */
  repository: string;
  /** Tag, or a digest when the reference was pinned with @. */
  reference: string;
  /** Repository:tag without the registry, the natural local name. */
  localName: string;
}

// From the distribution reference grammar (lowercase path components separated by / . _ __ -).
const COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST_RE = /^(?:\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(?::[0-9]{1,5})?$/;

export function parseRemoteReference(text: string): RemoteReference {
  const bad = (why: string): RegistryError =>
    new RegistryError('REGISTRY_BAD_REFERENCE', `not a registry reference: ${JSON.stringify(text)} (${why})`, {
      hint: 'write host[:port]/name[:tag], e.g. 127.0.0.1:5000/isobench/workload:latest',
    });
  const slash = text.indexOf('/');
  if (slash <= 0) throw bad('no registry host');
  const registry = text.slice(0, slash);
  // The first component names a registry only if it looks like a host: there is no implicit Docker Hub here.
  if (!HOST_RE.test(registry) || !(registry.includes('.') || registry.includes(':') || registry === 'localhost')) {
    throw bad(`"${registry}" is not a host[:port]`);
  }
  let rest = text.slice(slash + 1);
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(reference)) throw bad('the part after @ is not sha256:<64 hex>');
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon >= 0) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG_RE.test(reference)) throw bad(`bad tag "${reference}"`);
    }
  }
  if (!rest || !rest.split('/').every((c) => COMPONENT_RE.test(c))) throw bad(`bad repository name "${rest}"`);
  const localName = isDigest(reference) ? `${rest}:latest` : `${rest}:${reference}`;
  return { registry, repository: rest, reference, localName };
}

export function formatRemoteReference(r: Pick<RemoteReference, 'registry' | 'repository' | 'reference'>): string {
  return isDigest(r.reference) ? `${r.registry}/${r.repository}@${r.reference}` : `${r.registry}/${r.repository}:${r.reference}`;
}

/** Loopback hosts may be spoken to over plain http without --insecure (nothing crosses a wire). */
export function isLoopbackHost(registry: string): boolean {
  let host = registry;
  if (host.startsWith('[')) host = host.slice(1, host.indexOf(']'));
  else if (host.includes(':')) host = host.slice(0, host.lastIndexOf(':'));
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
