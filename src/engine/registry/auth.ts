import { RegistryError } from './errors.js';
import { MAX_TOKEN_BYTES, readLimited } from './limits.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface Challenge {
  scheme: 'basic' | 'bearer';
  params: Record<string, string>;
}

/** Parses one WWW-Authenticate header (RFC 7235 auth-params, quoted or token values). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const scheme = m[1]!.toLowerCase();
  if (scheme !== 'basic' && scheme !== 'bearer') return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))\s*,?\s*/gy;
  re.lastIndex = 0;
  const rest = m[2] ?? '';
  let p: RegExpExecArray | null;
  while (re.lastIndex < rest.length && (p = re.exec(rest)) !== null) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : (p[3] ?? '');
  }
  return { scheme, params };
}

export function basicHeader(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

/**
 * Asks the token endpoint named by a Bearer challenge for a token (the
 * distribution token protocol: GET realm?service=&scope=, with basic
 * credentials when we have them). Anonymous tokens are allowed.
 */
export async function fetchBearerToken(challenge: Challenge, scope: string | undefined, creds: Credentials | undefined): Promise<string> {
  const realm = challenge.params.realm;
  if (!realm) throw new RegistryError('REGISTRY_PROTOCOL', 'the registry asked for a bearer token but named no realm (token endpoint)');
  let url: URL;
  try {
    url = new URL(realm);
  } catch (cause) {
    throw new RegistryError('REGISTRY_PROTOCOL', `bearer realm is not a URL: ${realm}`, { cause });
  }
  if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
  const wanted = scope ?? challenge.params.scope;
  if (wanted) for (const s of wanted.split(' ')) url.searchParams.append('scope', s);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (creds) headers.authorization = basicHeader(creds);
  let res: Response;
  try {
    res = await fetch(url, { headers, redirect: 'error' });
  } catch (cause) {
    throw new RegistryError('REGISTRY_UNREACHABLE', `cannot reach the token endpoint ${url.origin}: ${(cause as Error).message}`, { cause });
  }
  if (res.status === 401 || res.status === 403) {
    throw new RegistryError('REGISTRY_UNAUTHORIZED', `the token endpoint ${url.origin} refused ${creds ? `user "${creds.username}"` : 'anonymous access'} (HTTP ${res.status})`, {
      status: res.status,
      hint: creds ? 'check the user name and password' : 'give credentials with --user NAME:PASSWORD or ISOBENCH_REGISTRY_AUTH',
    });
  }
  if (!res.ok) throw new RegistryError('REGISTRY_PROTOCOL', `token endpoint ${url.origin} answered HTTP ${res.status}`, { status: res.status });
  let raw: unknown = {};
  try {
    raw = JSON.parse((await readLimited(res, MAX_TOKEN_BYTES, `token from ${url.origin}`)).toString('utf8'));
  } catch (err) {
    if (err instanceof RegistryError) throw err;
  }
  const body = raw as { token?: unknown; access_token?: unknown };
  const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
  if (!token) throw new RegistryError('REGISTRY_PROTOCOL', `token endpoint ${url.origin} returned no token`);
  return token;
}

/** Parses "user:password" (from --user or ISOBENCH_REGISTRY_AUTH). */
export function parseCredentials(text: string | undefined): Credentials | undefined {
  if (text === undefined || text === '') return undefined;
  const i = text.indexOf(':');
  if (i <= 0) {
    throw new RegistryError('REGISTRY_BAD_CREDENTIALS', 'credentials must be USER:PASSWORD', { hint: 'e.g. --user alice:secret' });
  }
  return { username: text.slice(0, i), password: text.slice(i + 1) };
}
