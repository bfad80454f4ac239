export { renderMarkdown, markdownRenderer, type MarkdownOptions } from './markdown-renderer.js';
export { mdTable, mdCell } from './md-table.js';
