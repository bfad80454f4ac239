import type { Cell, Table } from '../model/tables.js';
import { esc } from './escape.js';

const TCG_LABEL = ' (TCG, emulated)';

/** An environment label with the TCG tag turned into a visible badge. */
export function envLabelHtml(label: string): string {
  return label.endsWith(TCG_LABEL)
    ? `${esc(label.slice(0, -TCG_LABEL.length))}<span class="tcg" title="QEMU ran under TCG: software emulation, no KVM">TCG emulated</span>`
    : esc(label);
}

/** Long argv (the engine's shim takes dozens of flags) collapse to their head; the whole line is one tap away. */
const LONG_CODE = 140;

export function codeHtml(text: string): string {
  if (text.length <= LONG_CODE) return `<span class="code${text.length <= 24 ? ' nowrap' : ''}">${esc(text)}</span>`;
  return `<details class="ev"><summary><span class="code">${esc(text.slice(0, 90))}…</span></summary><div class="code ev-body">${esc(text)}</div></details>`;
}

function cellHtml(c: Cell, tag: 'td' | 'th' = 'td', envCell = false, label?: string, titleOnly = false): string {
  const cls = (c.tone ? ` class="t-${c.tone}"` : '') + (label !== undefined ? ` data-label="${esc(label)}"` : '');
  if (titleOnly && c.detail) return `<${tag}${cls} title="${esc(c.detail)}">${envCell ? envLabelHtml(c.text) : esc(c.text)}</${tag}>`;
  if (c.code && !c.detail) return `<${tag}${cls}>${codeHtml(c.text)}</${tag}>`;
  const text = c.code ? `<span class="code${c.text.length <= 24 ? ' nowrap' : ''}">${esc(c.text)}</span>` : envCell ? envLabelHtml(c.text) : esc(c.text);
  // Evidence: hover (title) on desktop, tap to expand (<details>) on a phone.
  const body = c.detail ? `<details class="ev"><summary title="${esc(c.detail)}">${text}</summary><div class="ev-body">${esc(c.detail)}</div></details>` : text;
  return `<${tag}${cls}>${body}</${tag}>`;
}

export interface TableOptions {
  id?: string;
  /** Header cells that are environment labels (get the TCG badge). */
  envHeaders?: boolean;
  /** First column holds environment labels. */
  envFirstColumn?: boolean;
  /** On a phone, show each row as a card (cells labelled by their header) instead of a sideways-scrolling table. */
  stack?: boolean;
  /** Details as a hover title only (compact tables such as the summary: no expander). */
  titleOnly?: boolean;
}

export function htmlTable(t: Table, opts: TableOptions = {}): string {
  const head = t.headers.map((h, i) => `<th scope="col">${opts.envHeaders && i > 0 ? envLabelHtml(h) : esc(h)}</th>`).join('');
  const rows = t.rows.map((row) => `<tr>${row.map((c, i) => cellHtml(c, 'td', opts.envFirstColumn === true && i === 0, opts.stack ? t.headers[i] ?? '' : undefined, opts.titleOnly === true)).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table${opts.id ? ` id="${esc(opts.id)}"` : ''}${opts.stack ? ' class="stack"' : ''}><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table></div>`;
}
