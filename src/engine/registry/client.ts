import { RegistryError } from './errors.js';
import { basicHeader, fetchBearerToken, parseChallenge, type Credentials } from './auth.js';
import { isLoopbackHost } from './reference.js';
import { MAX_ERROR_BODY_BYTES, MAX_REDIRECTS, readLimited } from './limits.js';

export interface ClientOptions {
  /** Allow plain http to a non-loopback registry. Default false (loopback is always allowed). */
  insecure?: boolean;
  credentials?: Credentials;
  /** Force a scheme; by default http for loopback/--insecure, https otherwise. */
  scheme?: 'http' | 'https';
}

export interface RequestInit2 {
  method?: string;
  headers?: Record<string, string>;
  /** Buffers only: a request may be replayed once after an auth challenge. */
  body?: Buffer;
}

/**
 * One repository on one registry. Knows the base URL, answers auth
 * challenges (Basic, or Bearer via the token endpoint) once per request and
 * caches the resulting Authorization header for the following requests.
 */
export class RegistryClient {
  readonly baseUrl: string;
  private authorization: string | undefined;

  constructor(
    readonly registry: string,
    readonly repository: string,
    /** Actions the token is asked for: "pull" or "pull,push". */
    private readonly actions: 'pull' | 'pull,push',
    private readonly options: ClientOptions = {},
  ) {
    const loopback = isLoopbackHost(registry);
    const scheme = options.scheme ?? (loopback || options.insecure ? 'http' : 'https');
    if (scheme === 'http' && !loopback && !options.insecure) {
      throw new RegistryError('REGISTRY_INSECURE', `refusing plain http to ${registry}: it is not a loopback address`, {
        hint: 'use https, or pass --insecure if you trust the network path to this registry',
      });
    }
    this.baseUrl = `${scheme}://${registry}`;
  }

  /** URL of an API path under /v2/<repository>/..., or an upload Location as the registry returned it. */
  url(pathOrLocation: string): URL {
    if (/^https?:\/\//.test(pathOrLocation)) return new URL(pathOrLocation);
    if (pathOrLocation.startsWith('/')) return new URL(pathOrLocation, this.baseUrl);
    return new URL(`/v2/${this.repository}/${pathOrLocation}`, this.baseUrl);
  }

  async request(pathOrLocation: string | URL, init: RequestInit2 = {}): Promise<Response> {
    const url = pathOrLocation instanceof URL ? pathOrLocation : this.url(pathOrLocation);
    let res = await this.send(url, init);
    if (res.status !== 401) return res;
    const header = res.headers.get('www-authenticate') ?? '';
    await res.body?.cancel();
    const challenge = parseChallenge(header);
    if (!challenge) {
      throw new RegistryError('REGISTRY_UNAUTHORIZED', `${this.registry} answered 401 with no usable challenge (${header || 'no WWW-Authenticate'})`, { status: 401 });
    }
    const creds = this.options.credentials;
    if (challenge.scheme === 'basic') {
      if (!creds) throw unauthorized(this.registry, undefined, 401);
      this.authorization = basicHeader(creds);
    } else {
      const token = await fetchBearerToken(challenge, `repository:${this.repository}:${this.actions}`, creds);
      this.authorization = `Bearer ${token}`;
    }
    res = await this.send(url, init);
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel();
      throw unauthorized(this.registry, creds, res.status);
    }
    return res;
  }

  /**
   * One request, following redirects by hand (fetch's own following would
   * carry our Authorization to any host and accept any hop). Only GET and
   * HEAD follow: registries redirect blob reads to a blob store, never
   * writes. Each hop must stay http(s), never drop from https to http, and
   * obey the loopback rule for plain http; a hop to another origin goes
   * without our Authorization header (the blob store's URL carries its own
   * signature).
   */
  private async send(url: URL, init: RequestInit2): Promise<Response> {
    const method = init.method ?? 'GET';
    const follow = method === 'GET' || method === 'HEAD';
    let current = url;
    const chain: string[] = [];
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { ...(init.headers ?? {}) };
      if (this.authorization && current.origin === url.origin) headers.authorization = this.authorization;
      let res: Response;
      try {
        res = await fetch(current, { method, headers, body: init.body, redirect: 'manual' });
      } catch (cause) {
        const detail = (cause as { cause?: { code?: string; message?: string } }).cause;
        const why = detail?.code ?? detail?.message ?? (cause as Error).message;
        if (hop > 0) {
          throw new RegistryError('REGISTRY_UNREACHABLE', `${url.origin} redirected to ${current.origin}, which cannot be reached: ${why}`, {
            cause,
            hint: `the registry sends downloads to ${current.origin}; check that this host can reach it`,
          });
        }
        throw new RegistryError('REGISTRY_UNREACHABLE', `cannot reach ${current.origin}: ${why}`, {
          cause,
          hint: `is a registry listening at ${current.origin}? (https registries need a certificate Node trusts; loopback uses http)`,
        });
      }
      if (!follow || !isRedirect(res.status)) return res;
      await res.body?.cancel().catch(() => undefined);
      const location = res.headers.get('location');
      if (!location) throw new RegistryError('REGISTRY_PROTOCOL', `${current.origin} answered HTTP ${res.status} (redirect) with no Location header`, { status: res.status });
      chain.push(`${res.status} ${current.origin}${current.pathname}`);
      if (hop + 1 > MAX_REDIRECTS) {
        throw new RegistryError('REGISTRY_REDIRECT', `${url.origin} redirected more than ${MAX_REDIRECTS} times (${chain.join(' -> ')})`, {
          status: res.status,
          hint: 'the registry is in a redirect loop or is hostile',
        });
      }
      let next: URL;
      try {
        next = new URL(location, current);
      } catch (cause) {
        throw new RegistryError('REGISTRY_REDIRECT', `${current.origin} redirected to an invalid URL: ${location.slice(0, 200)}`, { cause, status: res.status });
      }
      this.checkHop(current, next, res.status);
      current = next;
    }
  }

  private checkHop(from: URL, to: URL, status: number): void {
    if (to.protocol !== 'http:' && to.protocol !== 'https:') {
      throw new RegistryError('REGISTRY_REDIRECT', `${from.origin} redirected (HTTP ${status}) to a ${to.protocol.replace(/:$/, '')}: URL; only http and https are followed`, {
        status,
        hint: 'the registry is misconfigured or hostile; nothing was read from that location',
      });
    }
    if (from.protocol === 'https:' && to.protocol === 'http:') {
      throw new RegistryError('REGISTRY_REDIRECT', `${from.origin} redirected (HTTP ${status}) from https to plain http (${to.origin}); refusing the downgrade`, {
        status,
        hint: 'the registry must keep downloads on https',
      });
    }
    if (to.protocol === 'http:' && !isLoopbackHost(to.host) && !this.options.insecure) {
      throw new RegistryError('REGISTRY_INSECURE', `${from.origin} redirected (HTTP ${status}) to plain http on ${to.host}, which is not a loopback address`, {
        status,
        hint: 'pass --insecure if you trust the network path to that host',
      });
    }
  }
}

function isRedirect(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function unauthorized(registry: string, creds: Credentials | undefined, status: number): RegistryError {
  return new RegistryError('REGISTRY_UNAUTHORIZED', `${registry} refused ${creds ? `user "${creds.username}"` : 'anonymous access'} (HTTP ${status})`, {
    status,
    hint: creds ? 'check the user name, password and the user\'s rights on this repository' : 'give credentials with --user NAME:PASSWORD or ISOBENCH_REGISTRY_AUTH=NAME:PASSWORD',
  });
}

/** Turns an unexpected response into a RegistryError carrying the registry's own error text. */
export async function responseError(res: Response, what: string): Promise<RegistryError> {
  let detail = '';
  try {
    const text = (await readLimited(res, MAX_ERROR_BODY_BYTES, 'error body')).toString('utf8');
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    detail = (body.errors ?? []).map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
  } catch {
    // Not the API's JSON error format (or too long to quote); the status alone has to do.
    await res.body?.cancel().catch(() => undefined);
  }
  const code = res.status === 404 ? 'REGISTRY_NOT_FOUND' : res.status === 401 || res.status === 403 ? 'REGISTRY_UNAUTHORIZED' : 'REGISTRY_PROTOCOL';
  return new RegistryError(code, `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`, { status: res.status });
}
