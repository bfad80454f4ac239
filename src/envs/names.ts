/**
 * Environment names in report order. A leaf module (no backend code) so the
 * CLI can list them in --help without loading every backend.
 */
export const ALL_ENV_NAMES = ['host', 'chroot', 'container', 'runc', 'bwrap', 'vm'] as const;

/** Backends whose available() refuses a non-root user (namespaces, mounts, chroot(2)). */
export const ROOT_ONLY_ENVS: readonly string[] = ['chroot', 'container', 'runc', 'bwrap'];
