import { DEFAULT_CAPABILITIES } from '../../engine/index.js';

/**
 * bubblewrap over the same rootfs: all namespaces it can create, the root
 * bind-mounted, fresh /proc and /dev, /sys read-only, the same 14
 * capabilities. bwrap has no cgroup limits and no masked paths: it does less
 * than runc and our engine, which the report states next to its figure.
 */
export function bwrapArgs(bwrap: string, rootfs: string, argv: string[], env: Record<string, string>, net?: { nsenter: string; netnsPath: string }): string[] {
  // bwrap cannot join a network namespace itself: nsenter puts it in one (a veth on the engine bridge) and it keeps that one (--share-net).
  const a = [...(net ? [net.nsenter, `--net=${net.netnsPath}`, '--'] : []), bwrap, '--unshare-all', ...(net ? ['--share-net'] : []), '--die-with-parent', '--bind', rootfs, '/', '--proc', '/proc', '--dev', '/dev', '--ro-bind', '/sys', '/sys', '--hostname', 'container', '--chdir', '/', '--clearenv'];
  for (const [k, v] of Object.entries(env)) a.push('--setenv', k, v);
  a.push('--cap-drop', 'ALL');
  for (const c of DEFAULT_CAPABILITIES) a.push('--cap-add', c);
  a.push('--', ...argv);
  return a;
}
