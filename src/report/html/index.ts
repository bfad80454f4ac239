export { renderHtml, htmlRenderer } from './html-renderer.js';
export { esc, jsonForScript } from './escape.js';
