/** Isolation evidence as stored in results.json (results.isolation). */
export type CheckOutcome = 'as-claimed' | 'contradicts' | 'not-applicable';

export interface CheckResult {
  /** Check name from DESIGN.md's table: namespaces, kernel, hypervisor, processes, root, network, hostname, ipc, mounts, chroot-escape, privileges, masked-paths, devices, memory-limit. */
  check: string;
  env: string;
  /** What the seed's claims lead us to expect in this environment, in words. */
  expected: string;
  /** What the probe saw, in words. */
  observed: string;
  outcome: CheckOutcome;
  /** The probe's evidence line(s), verbatim or summarized. */
  evidence: string;
  raw?: unknown;
}

export interface IsolationResults {
  /** Facts recorded on the host before probing (ids, boot_id, hostname, sentinel pid, shm key, port...). */
  hostFacts: Record<string, unknown>;
  /** durationMs: wall time of the probe run in that environment (all its checks run in one probe invocation). */
  envs: { env: string; status: 'ok' | 'failed' | 'skipped'; reason?: string; durationMs?: number }[];
  checks: CheckResult[];
}

/** Evidence that an environment's artifact moves between hosts (results.facts.portability). */
export interface PortabilityEvidence {
  env: 'container' | 'vm' | 'chroot';
  /** e.g. "oci-archive export/import", "registry push/pull", "initramfs copy". */
  method: string;
  digestBefore?: string;
  digestAfter?: string;
  identical?: boolean;
  /** Whether the moved artifact then ran the probe successfully. */
  ranAfter?: boolean;
  detail: string;
}
