import { median, p5, p95, ratioCI } from '../../stats/index.js';
import type { RunPhase } from './types.js';
import type { RunResults, ScenarioResult, EnvResultOk, VmDiskStartup, VmPresentationStartup } from '../../results/types.js';

/** Pooled VM boots of one presentation. */
interface Pool { samples: number[]; scenarios: string[]; sessionBoots: number }

const vmOk = (s: ScenarioResult): EnvResultOk | undefined => {
  const e = s.envs.find((x) => x.kind === 'vm');
  return e?.status === 'ok' ? e : undefined;
};

/**
 * The boots of these scenarios' vm cells: every measured round when each ran
 * its own VM; the one boot of the cell when its runs shared one instance
 * (a session: its samples then time processes inside the guest, not boots).
 */
function pool(scenarios: ScenarioResult[]): Pool {
  const out: Pool = { samples: [], scenarios: [], sessionBoots: 0 };
  for (const s of scenarios) {
    const e = vmOk(s)!;
    if (e.session) {
      if (e.session.startMs === undefined) continue;
      out.samples.push(e.session.startMs);
      out.sessionBoots++;
    } else {
      if (e.samples.length === 0) continue;
      out.samples.push(...e.samples.map((x) => x.startupMs));
    }
    out.scenarios.push(s.name);
  }
  return out;
}

function describe(p: Pool): VmPresentationStartup {
  return { medianMs: median(p.samples), p5Ms: p5(p.samples), p95Ms: p95(p.samples), n: p.samples.length, scenarios: p.scenarios, ...(p.sessionBoots ? { sessionBoots: p.sessionBoots } : {}) };
}

/**
 * What the disk presentation costs the VM's startup, from the boots a run
 * already measured: every boot of the scenarios whose VM booted from its disk
 * (the token is printed once the root is mounted from the virtio-blk device;
 * a cell whose runs shared one VM contributes that one boot) against the
 * startup scenario's rounds, which boot the initramfs, one VM per round.
 * Only isobench's own images count (a user's image is another boot), and
 * startupMs does not depend on the workload that runs after the token. Pure.
 */
export function vmDiskStartup(r: RunResults): VmDiskStartup {
  const own = r.scenarios.filter((s) => !s.userImage && vmOk(s));
  if (own.length === 0) return { status: 'skipped', reason: 'the vm ran no scenario of isobench\'s images in this run' };
  const disk = pool(own.filter((s) => vmOk(s)!.presentation?.name === 'disk'));
  const initramfs = pool(own.filter((s) => s.workload.type === 'startup' && vmOk(s)!.presentation?.name === 'initramfs'));
  const accelerator = own.map((s) => vmOk(s)!.accelerator).find((a) => a !== undefined);
  const base = { ...(accelerator ? { accelerator } : {}) };
  if (disk.samples.length === 0 && initramfs.samples.length === 0) return { status: 'skipped', reason: 'no vm rounds with a known presentation in this run', ...base };
  if (disk.samples.length === 0) return { status: 'skipped', reason: 'no scenario booted the vm from its disk in this run (fileio, fio, sqlite and the applications image do)', ...base, initramfs: describe(initramfs) };
  if (initramfs.samples.length === 0) return { status: 'skipped', reason: 'the startup scenario did not boot the vm from its initramfs in this run', ...base, disk: describe(disk) };
  const ratio = ratioCI(disk.samples, initramfs.samples);
  const d = describe(disk);
  const i = describe(initramfs);
  return {
    status: 'ok',
    ...base,
    initramfs: i,
    disk: d,
    ratio,
    extraMs: d.medianMs - i.medianMs,
    note: 'boots of different scenarios, taken at different moments of the run: a load change between them shows up here too; a boot shared by a whole cell is timed to ready for commands, the others to the ready token',
  };
}

/** results.facts.vmDiskStartup, computed from the scenarios already measured (no boot of its own). */
export const vmDiskStartupPhase: RunPhase = {
  name: 'vm-disk-startup',
  async run(ctx) {
    const f = vmDiskStartup(ctx.results);
    (ctx.results.facts ??= {}).vmDiskStartup = f;
    if (f.status === 'ok' && f.disk && f.initramfs && f.ratio) ctx.progress(`vm disk startup: ${f.disk.medianMs.toFixed(0)} ms from the disk (${f.disk.n} boots) vs ${f.initramfs.medianMs.toFixed(0)} ms from the initramfs (${f.initramfs.n} boots), ×${f.ratio.ratio.toFixed(2)}`);
  },
};
