import { ConfigError } from '../../core/errors.js';

/**
 * base64url (no padding) of NUL-terminated lists, like /proc/<pid>/cmdline:
 * how a command crosses a kernel command line or a session's stdin without
 * any of its bytes (spaces, quotes, '=', newlines) meaning anything on the
 * way. The probe decodes them (init.c, init_decode_list).
 */
export const TOKEN_RE = /^[A-Za-z0-9._:@+-]{1,200}$/;

export function b64url(buf: Buffer): string {
  return buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromB64url(s: string): Buffer {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
}

export function encodeList(items: string[]): string {
  for (const i of items) {
    if (i.includes('\0')) throw new ConfigError('ARG_NUL', `argument ${JSON.stringify(i)} contains a NUL byte, which no argv can carry`);
  }
  return b64url(Buffer.from(items.map((i) => `${i}\0`).join(''), 'utf8'));
}

export function decodeList(s: string): string[] {
  const text = fromB64url(s).toString('utf8');
  const parts = text.split('\0');
  parts.pop(); // after the last terminator
  return parts;
}

/** KEY=VALUE items into an object (an item without '=' is dropped, as execve's consumers would ignore it). */
export function decodeEnvList(s: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const kv of decodeList(s)) {
    const eq = kv.indexOf('=');
    if (eq > 0) env[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return env;
}
