import type { Cell, Table } from '../model/tables.js';

const TONE_MARK: Record<string, string> = { ok: '✅ ', bad: '❌ ', mixed: '〰️ ', na: '', warn: '⚠️ ' };

/** Escapes text for a GFM table cell: pipes break columns, newlines break rows. */
export function mdCell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** Long argv are cut in tables (the engine's shim takes dozens of flags); the report's "Command lines" list has them whole. */
const LONG_CODE = 140;

function cellText(c: Cell): string {
  const code = c.text.length > LONG_CODE ? `${c.text.slice(0, 90)}…` : c.text;
  const body = c.code ? `\`${code.replace(/`/g, "'")}\`` : mdCell(c.text);
  return `${c.tone ? TONE_MARK[c.tone] ?? '' : ''}${c.code ? body.replace(/\|/g, '\\|') : body}`;
}

export function mdTable(t: Table): string {
  const lines = [`| ${t.headers.map(mdCell).join(' | ')} |`, `|${t.headers.map(() => '---').join('|')}|`];
  for (const row of t.rows) lines.push(`| ${row.map(cellText).join(' | ')} |`);
  return lines.join('\n');
}

/** The same table with each cell's detail (expected/evidence) as a list, for <details> blocks. */
export function mdDetails(t: Table, rowHeader = 0): string {
  const out: string[] = [];
  for (const row of t.rows) {
    const head = row[rowHeader]?.text ?? '';
    row.forEach((cell, i) => {
      if (i === rowHeader || !cell.detail) return;
      out.push(`- **${mdCell(head)} @ ${mdCell(t.headers[i] ?? '')}** — ${mdCell(cell.text)}<br>${mdCell(cell.detail)}`);
    });
  }
  return out.join('\n');
}
