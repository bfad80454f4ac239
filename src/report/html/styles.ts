/** The report's CSS, inlined. Mobile first: tables scroll sideways, the seed table stacks into cards under 760px. */
export const REPORT_CSS = `
:root {
  --fg: #1b1f24; --muted: #5b6570; --bg: #f6f7f9; --card: #ffffff; --line: #dde1e6; --accent: #0b5cad;
  --ok: #1a7f37; --ok-bg: #e6f4ea; --bad: #b42318; --bad-bg: #fdecea; --mixed: #8a5a00; --mixed-bg: #fff4d6;
  --na: #5b6570; --na-bg: #eef0f3; --warn: #9a4d00; --warn-bg: #fff1e0;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--fg); background: var(--bg); }
header.top { background: #15202b; color: #fff; padding: 20px 16px 14px; }
header.top h1 { margin: 0 0 4px; font-size: 1.45rem; line-height: 1.25; word-break: break-word; }
header.top .meta { color: #c7d0d9; font-size: .88rem; }
header.top .meta code { color: #fff; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 12px; }
.counts .badge { font-size: .85rem; padding: 3px 10px; }
nav.toc { position: sticky; top: 0; z-index: 5; background: #fff; border-bottom: 1px solid var(--line); overflow-x: auto; white-space: nowrap; }
nav.toc a { display: inline-block; padding: 10px 12px; color: var(--accent); text-decoration: none; font-size: .9rem; }
nav.toc a:hover { background: #eef4fb; }
main { max-width: 1240px; margin: 0 auto; padding: 12px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 16px; margin: 14px 0; }
section > h2 { margin: 0 0 6px; font-size: 1.2rem; }
section h3 { font-size: 1rem; margin: 18px 0 6px; }
p.lead { margin: 0 0 12px; color: var(--muted); font-size: .92rem; }
.muted { color: var(--muted); font-size: .85rem; }
code { overflow-wrap: anywhere; }
code, .code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .84em; }
.code { word-break: break-all; }
.code.nowrap { white-space: nowrap; word-break: normal; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
th, td { border-bottom: 1px solid var(--line); padding: 7px 8px; text-align: left; vertical-align: top; }
th { background: #f0f2f5; font-weight: 600; white-space: nowrap; }
td.num { text-align: right; white-space: nowrap; }
.badge { display: inline-block; border-radius: 999px; padding: 1px 9px; font-size: .78rem; font-weight: 700; letter-spacing: .01em; white-space: nowrap; border: 1px solid transparent; }
.v-confirmed, .t-ok { color: var(--ok); background: var(--ok-bg); }
.v-refuted, .t-bad { color: var(--bad); background: var(--bad-bg); }
.v-nuanced, .t-mixed { color: var(--mixed); background: var(--mixed-bg); }
.v-undecided { color: var(--na); background: var(--na-bg); border: 1px dashed currentColor; }
.v-not-judged, .t-na { color: var(--na); background: var(--na-bg); }
.t-warn { color: var(--warn); background: var(--warn-bg); }
td.t-ok, td.t-bad, td.t-mixed, td.t-na, td.t-warn { border-left: 3px solid currentColor; }
td.t-ok > *, td.t-bad > *, td.t-na > *, td.t-warn > * { color: var(--fg); }
.tcg { display: inline-block; margin-left: 4px; padding: 0 6px; border-radius: 4px; font-size: .72rem; font-weight: 700; color: var(--warn); background: var(--warn-bg); border: 1px solid #f3c99a; vertical-align: middle; }
details > summary { cursor: pointer; }
details.ev > summary { list-style: none; }
details.ev > summary::-webkit-details-marker { display: none; }
details.ev > summary::after { content: " ▸"; color: var(--muted); }
details.ev[open] > summary::after { content: " ▾"; }
details.ev .ev-body { margin-top: 6px; font-size: .82rem; color: var(--muted); white-space: pre-wrap; word-break: break-word; }
/* the seed's comparison table */
table.seed { table-layout: fixed; }
table.seed th.rowh { width: 9%; background: #f0f2f5; }
table.seed th:first-child { width: 9%; }
table.seed td { width: 30%; }
.seed-claim { font-style: italic; color: var(--muted); margin-bottom: 6px; }
.seed-claim::before { content: "Seed: "; font-style: normal; font-weight: 600; color: var(--fg); }
.judgement { overflow-wrap: anywhere; margin: 6px 0 0; padding: 6px 8px; border-radius: 6px; background: #fafbfc; border: 1px solid var(--line); }
.judgement .reason { margin-top: 3px; }
.evidence { margin: 4px 0 0; padding-left: 18px; font-size: .82rem; color: var(--muted); overflow-wrap: anywhere; }
.evidence li.more { list-style: none; margin-left: -18px; }
.evidence li.more summary { color: var(--accent); }
.cnj { color: var(--na); font-size: .9rem; }
.chart { position: relative; height: 440px; margin: 8px 0 4px; }
.chart canvas { display: block; }
.caption { font-size: .85rem; color: var(--muted); margin: 0 0 10px; }
.chart-error { color: var(--bad); }
ul.sentences { margin: 10px 0 0; padding-left: 18px; font-size: .9rem; }
section h3.chart-title { font-size: .92rem; margin: 6px 0 0; color: var(--muted); }
ul.sentences li { margin: 3px 0; }
ul.markers { margin: 0 0 10px; padding-left: 18px; font-size: .85rem; color: var(--muted); }
#summary-table td, #summary-table th { white-space: nowrap; padding: 6px 7px; }
#summary-table td:first-child { white-space: normal; }
ul.warnings { margin: 0; padding-left: 20px; }
ul.warnings li { margin: 4px 0; }
ul.warnings li.w-failed { color: var(--bad); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 4px 14px; margin: 0; font-size: .9rem; }
dl.kv dt { font-weight: 600; }
dl.kv dd { margin: 0; word-break: break-word; }
footer { text-align: center; color: var(--muted); font-size: .8rem; padding: 16px; }
@media (max-width: 760px) {
  body { font-size: 14px; }
  main { padding: 6px; }
  section { padding: 12px 10px; border-radius: 8px; }
  .chart { height: 300px; }
  #summary-table td, #summary-table th { padding: 5px 4px; font-size: .8rem; white-space: normal; }
  #summary .tcg { display: none; }
  header.top .meta { font-size: .78rem; }
  header.top .meta .when { display: none; }
  ul.sentences { font-size: .82rem; padding-left: 14px; }
  ul.sentences li { margin: 2px 0; line-height: 1.4; }
  header.top { padding: 14px 12px 10px; }
  header.top h1 { font-size: 1.2rem; }
  .counts { gap: 5px; margin-top: 8px; }
  .counts .badge { font-size: .75rem; padding: 2px 7px; }
  header.top .meta code { word-break: break-all; }
  table.seed, table.seed tbody, table.seed tr, table.seed td, table.seed th.rowh { display: block; width: 100%; }
  table.seed thead { display: none; }
  table.seed tr { margin-bottom: 12px; border: 1px solid var(--line); border-radius: 8px; overflow: hidden; }
  table.seed th.rowh { font-size: 1rem; }
  table.seed td::before { content: attr(data-label); display: block; font-weight: 700; margin-bottom: 4px; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack thead { display: none; }
  table.stack tr { margin-bottom: 10px; border: 1px solid var(--line); border-radius: 8px; padding: 4px 2px; }
  table.stack td { border-bottom: none; padding: 3px 8px; }
  table.stack td[data-label]::before { content: attr(data-label); display: block; font-size: .72rem; font-weight: 700; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
  table.stack td.t-ok, table.stack td.t-bad, table.stack td.t-na, table.stack td.t-warn, table.stack td.t-mixed { border-left-width: 3px; border-radius: 4px; }
  #verdict-table td[data-label="section"] { font-size: .8rem; color: var(--muted); }
  #verdict-table td[data-label="claim"] { font-weight: 600; }
  #verdict-table td[data-label="section"]::before, #verdict-table td[data-label="claim"]::before, #verdict-table td[data-label="verdict"]::before { display: none; }
  dl.kv { grid-template-columns: 1fr; }
  dl.kv dd { margin-bottom: 6px; }
}
@media print { nav.toc { display: none; } section { break-inside: avoid; } }
`;
