import { describe, expect, it } from 'vitest';
import { parseRemoteReference, isLoopbackHost, formatRemoteReference } from '../../../src/engine/registry/reference.js';
import { parseChallenge } from '../../../src/engine/registry/auth.js';
import { RegistryClient } from '../../../src/engine/registry/client.js';
import { RegistryError } from '../../../src/engine/registry/errors.js';

describe('registry references', () => {
  it('splits host:port/name:tag', () => {
    expect(parseRemoteReference('127.0.0.1:5000/isobench/workload:v1')).toMatchObject({
      registry: '127.0.0.1:5000', repository: 'isobench/workload', reference: 'v1', localName: 'isobench/workload:v1',
    });
    expect(parseRemoteReference('localhost/a').reference).toBe('latest');
    const d = `sha256:${'a'.repeat(64)}`;
    const r = parseRemoteReference(`reg.example.org/x/y@${d}`);
    expect(r.reference).toBe(d);
    expect(formatRemoteReference(r)).toBe(`reg.example.org/x/y@${d}`);
  });

  it('rejects references without a registry host or with bad parts', () => {
    for (const bad of ['isobench/workload:latest', 'workload', '127.0.0.1:5000/Upper:tag', '127.0.0.1:5000/a@sha256:xyz', '127.0.0.1:5000/a:t@g']) {
      expect(() => parseRemoteReference(bad), bad).toThrow(RegistryError);
    }
  });

  it('allows http only for loopback unless insecure', () => {
    expect(isLoopbackHost('127.0.0.1:5000')).toBe(true);
    expect(isLoopbackHost('localhost:80')).toBe(true);
    expect(isLoopbackHost('[::1]:5000')).toBe(true);
    expect(isLoopbackHost('10.0.0.1:5000')).toBe(false);
    expect(new RegistryClient('127.0.0.1:5000', 'a', 'pull').baseUrl).toBe('http://127.0.0.1:5000');
    expect(new RegistryClient('reg.example.org', 'a', 'pull').baseUrl).toBe('https://reg.example.org');
    expect(new RegistryClient('10.0.0.1:5000', 'a', 'pull', { insecure: true }).baseUrl).toBe('http://10.0.0.1:5000');
    expect(() => new RegistryClient('10.0.0.1:5000', 'a', 'pull', { scheme: 'http' })).toThrow(/not a loopback address/);
  });

  it('parses WWW-Authenticate challenges', () => {
    expect(parseChallenge('Bearer realm="http://127.0.0.1:9/token",service="reg",scope="repository:a/b:pull,push"')).toEqual({
      scheme: 'bearer', params: { realm: 'http://127.0.0.1:9/token', service: 'reg', scope: 'repository:a/b:pull,push' },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
    expect(parseChallenge('Negotiate abc')).toBeUndefined();
  });
});
