/** Escapes text for HTML element content and attribute values. */
export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * JSON for a <script type="application/json"> block: "<" is escaped so no
 * string inside (a command line, a probe's output) can close the script tag.
 */
export function jsonForScript(value: unknown): string { // any JSON-serialisable value (chart configs, not a results shape)
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Inline script source: only "</script" could end it early. */
export function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}
