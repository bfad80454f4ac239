/**
 * A recipe describes the workload image as data: an ordered list of layers,
 * each a function listing the files it contributes. Adding a tool to the
 * image (e.g. iperf3 for the network scenarios) is adding one RecipeLayer to
 * WORKLOAD_RECIPE.layers; nothing else changes.
 */
export interface FileSpec {
  /** Absolute path inside the image, e.g. "/bin/busybox". */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (default 0755 for dirs and files, ignored for symlinks). */
  mode?: number;
  /** Host file whose bytes (symlinks followed) become this file. */
  source?: string;
  /** Literal content (instead of source). */
  content?: string | Buffer;
  /** Symlink target, stored as-is. */
  target?: string;
}

export interface RecipeContext {
  /** Directory of the built native helpers (isobench-probe ...). */
  nativeDir: string;
  log: (line: string) => void;
}

export interface RecipeLayer {
  /** Stable short id, used in history and logs ("busybox", "sysbench", "probe"). */
  id: string;
  /** One line for the image history (config.history[].created_by). */
  description: string;
  collect(ctx: RecipeContext): Promise<FileSpec[]>;
}

export interface ImageRecipe {
  /** name:tag the image is stored under. */
  name: string;
  layers: RecipeLayer[];
  config: { env: string[]; entrypoint: string[]; cmd: string[]; workingDir: string };
}
