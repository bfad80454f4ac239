import { RegistryError } from './errors.js';
import { basicHeader, fetchBearerToken, parseChallenge, type Credentials } from './auth.js';
import { isLoopbackHost } from './reference.js';

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

  private async send(url: URL, init: RequestInit2): Promise<Response> {
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    if (this.authorization) headers.authorization = this.authorization;
    try {
      return await fetch(url, { method: init.method ?? 'GET', headers, body: init.body });
    } catch (cause) {
      const detail = (cause as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryError('REGISTRY_UNREACHABLE', `cannot reach ${url.origin}: ${detail?.code ?? detail?.message ?? (cause as Error).message}`, {
        cause,
        hint: `is a registry listening at ${url.origin}? (https registries need a certificate Node trusts; loopback uses http)`,
      });
    }
  }
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
    const text = await res.text();
    const body = JSON.parse(text) as { errors?: { code?: string; message?: string }[] };
    detail = (body.errors ?? []).map((e) => `${e.code ?? ''} ${e.message ?? ''}`.trim()).join('; ');
  } catch {
    // Not the API's JSON error format; the status alone has to do.
  }
  const code = res.status === 404 ? 'REGISTRY_NOT_FOUND' : res.status === 401 || res.status === 403 ? 'REGISTRY_UNAUTHORIZED' : 'REGISTRY_PROTOCOL';
  return new RegistryError(code, `${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`, { status: res.status });
}
