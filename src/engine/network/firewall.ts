import fs from 'node:fs';
import { NetworkError } from './errors.js';

/**
 * Forwarding rules of the home's bridge, in a chain of our own.
 *
 * With br_netfilter loaded and net.bridge.bridge-nf-call-iptables=1, frames
 * bridged between two ports of one bridge traverse iptables' FORWARD chain.
 * A host where dockerd has run has that sysctl on and the FORWARD policy at
 * DROP, so two containers on our bridge could no longer talk. Like Docker's
 * and CNI's bridge plugin, we accept our bridge's own traffic in a chain named
 * after the home's tag, jumped to from FORWARD; removing the bridge removes
 * the jump and the chain. The rules are installed whatever the policy is
 * today, because a dockerd started later flips it without telling anyone.
 *
 * Only bridge-internal traffic is accepted (-i br -o br): nothing we add lets
 * a container reach beyond its bridge.
 */
export function forwardChainName(tag: string): string {
  return `ISOBENCH-${tag}`; // 17 chars; iptables allows 28
}

const IPTABLES_CANDIDATES = ['/usr/sbin/iptables', '/sbin/iptables', '/usr/bin/iptables'];

/** The `iptables` Docker itself would use (the alternatives' choice of nft or legacy), or undefined when absent. */
export function iptablesPath(): string | undefined {
  return IPTABLES_CANDIDATES.find((p) => fs.existsSync(p));
}

async function iptables(bin: string, args: string[]): Promise<{ ok: boolean; stderr: string; stdout: string }> {
  // -w: wait for the xtables lock instead of failing when dockerd holds it.
  // Loaded here, not at the top: `bench ctr run --network none` never touches the firewall.
  const { execa } = await import('execa');
  const r = await execa(bin, ['-w', '10', ...args], { reject: false, timeout: 20_000 });
  return { ok: r.exitCode === 0, stderr: String(r.stderr).trim(), stdout: String(r.stdout) };
}

/** Which backend `iptables` speaks ("nf_tables" or "legacy"), from its --version line. */
export async function iptablesBackend(bin = iptablesPath()): Promise<string | undefined> {
  if (!bin) return undefined;
  const { execa } = await import('execa');
  const r = await execa(bin, ['--version'], { reject: false, timeout: 5_000 });
  const m = /\((nf_tables|legacy)\)/.exec(String(r.stdout));
  return m ? m[1] : r.exitCode === 0 ? 'legacy' : undefined;
}

/** The rules of our chain for `bridge`, as iptables argv tails (tested on their own). */
export function forwardRules(bridge: string): string[][] {
  return [['-i', bridge, '-o', bridge, '-j', 'ACCEPT']];
}

/** The FORWARD rule that sends our bridge's traffic to our chain. */
export function forwardJump(bridge: string, chain: string): string[] {
  return ['-i', bridge, '-j', chain];
}

/**
 * Creates (or refreshes) the chain and its jump from FORWARD. A host without
 * a working iptables has no FORWARD filter to get past: nothing to do.
 */
export async function ensureForwardRules(bridge: string, tag: string): Promise<boolean> {
  const bin = iptablesPath();
  if (!bin) return false;
  // An iptables that cannot list FORWARD (no netfilter here, a sandbox without it) has no filter for our traffic to get past.
  if (!(await iptables(bin, ['-S', 'FORWARD'])).ok) return false;
  const chain = forwardChainName(tag);
  const created = await iptables(bin, ['-N', chain]);
  if (!created.ok && !/exists/i.test(created.stderr)) {
    throw new NetworkError('NET_IPTABLES_FAILED', `iptables -N ${chain} failed: ${created.stderr}`, { hint: 'needs root; iptables must work on this host (iptables -S FORWARD)' });
  }
  const flush = await iptables(bin, ['-F', chain]);
  if (!flush.ok) throw new NetworkError('NET_IPTABLES_FAILED', `iptables -F ${chain} failed: ${flush.stderr}`);
  for (const rule of forwardRules(bridge)) {
    const r = await iptables(bin, ['-A', chain, ...rule]);
    if (!r.ok) throw new NetworkError('NET_IPTABLES_FAILED', `iptables -A ${chain} ${rule.join(' ')} failed: ${r.stderr}`);
  }
  const jump = forwardJump(bridge, chain);
  if (!(await iptables(bin, ['-C', 'FORWARD', ...jump])).ok) {
    // First position: ahead of any DROP another tool appends; Docker's own jumps only act on its bridges.
    const r = await iptables(bin, ['-I', 'FORWARD', '1', ...jump]);
    if (!r.ok) throw new NetworkError('NET_IPTABLES_FAILED', `iptables -I FORWARD ${jump.join(' ')} failed: ${r.stderr}`);
  }
  return true;
}

/**
 * Removes every FORWARD jump to our chain (whatever the bridge named in it),
 * then the chain. Idempotent; returns what it removed.
 */
export async function removeForwardRules(tag: string): Promise<string[]> {
  const bin = iptablesPath();
  if (!bin) return [];
  const chain = forwardChainName(tag);
  const removed: string[] = [];
  const listed = await iptables(bin, ['-S', 'FORWARD']);
  if (listed.ok) {
    for (const line of listed.stdout.split('\n')) {
      const words = line.trim().split(/\s+/);
      if (words[0] !== '-A' || words[words.length - 1] !== chain || words[words.length - 2] !== '-j') continue;
      if ((await iptables(bin, ['-D', 'FORWARD', ...words.slice(2)])).ok) removed.push(`iptables jump FORWARD → ${chain}`);
    }
  }
  if ((await iptables(bin, ['-F', chain])).ok && (await iptables(bin, ['-X', chain])).ok) removed.push(`iptables chain ${chain}`);
  return removed;
}

/** Our chain and jumps that exist right now (leftover checks). */
export async function forwardLeftovers(tag: string): Promise<string[]> {
  const bin = iptablesPath();
  if (!bin) return [];
  const chain = forwardChainName(tag);
  const out: string[] = [];
  const listed = await iptables(bin, ['-S', 'FORWARD']);
  for (const line of listed.ok ? listed.stdout.split('\n') : []) if (line.trim().endsWith(`-j ${chain}`)) out.push(`iptables jump ${line.trim()}`);
  if ((await iptables(bin, ['-S', chain])).ok) out.push(`iptables chain ${chain}`);
  return out;
}
