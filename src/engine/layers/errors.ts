import { BenchError } from '../../core/errors.js';

/**
 * Codes:
 * - LAYER_UNSAFE_ENTRY: the archive tries to leave the snapshot (absolute or ".." name, a
 *   write through a symlink, a hardlink out, a whiteout of "." or "..", a device node).
 * - LAYER_BAD_ENTRY: a malformed entry (file where a directory is needed, hardlink to nothing).
 * - LAYER_UNSUPPORTED_ENTRY: an entry type we do not extract.
 * - LAYER_DIFFID_MISMATCH: the uncompressed tar does not hash to the diff_id of the image config.
 * - LAYER_CORRUPT: not a readable tar / gzip stream.
 * - LAYER_HELPER_MISSING / LAYER_HELPER_FAILED: isobench-ovlmark (whiteouts, opaque dirs, fifos).
 */
export class LayerError extends BenchError {
  /** The archive entry's name as written in the tar, when the error is about one entry. */
  readonly entry: string | undefined;
  constructor(code: string, message: string, opts: { entry?: string; cause?: unknown; hint?: string } = {}) {
    super(code, opts.entry === undefined ? message : `layer entry ${JSON.stringify(opts.entry)}: ${message}`, {
      cause: opts.cause,
      hint: opts.hint ?? (code === 'LAYER_UNSAFE_ENTRY' ? 'the layer archive is hostile or broken; it was not extracted — do not use this image' : undefined),
    });
    this.entry = opts.entry;
  }
}
