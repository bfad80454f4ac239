export type { Renderer } from '../results/exporters.js';
