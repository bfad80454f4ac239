import type { HomePaths } from '../core/home.js';

/** What every backend gets from the harness when it is constructed. */
export interface EnvContext {
  home: HomePaths;
  /** Compiled native helpers (isobench-probe, isobench-timer, isobench-nsexec...). */
  nativeDir: string;
  /** Unique id of this run; names scratch dirs (<home>/runs/<runId>/<env>) and host objects. */
  runId: string;
  /** Progress/diagnostic lines (never results). */
  log: (line: string) => void;
  /** Per-backend options from the command line (e.g. `--vm-kernel`); each backend normalizes its own. */
  backendOptions?: { vm?: { kernel?: string; accel?: 'auto' | 'kvm' | 'tcg' } };
  /**
   * Probe again instead of serving a cached availability verdict (the VM's KVM
   * probe, gVisor's platform): --reprobe or ISOBENCH_REPROBE=1.
   */
  reprobe?: boolean;
  /** Test-only knobs (e.g. weakening the engine on purpose); empty in normal runs. */
  testOptions?: Record<string, string>;
}
