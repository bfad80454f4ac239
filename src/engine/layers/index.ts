export { extractLayer, type ExtractOptions, type ExtractStats } from './extract.js';
export { ensureSnapshots, snapshotDir, pruneSnapshots, type SnapshotOptions } from './snapshots.js';
export { LayerError } from './errors.js';
export { entryComponents, symlinkEscapes } from './entry-path.js';
export { ovlmarkPath } from './ovl-marks.js';
