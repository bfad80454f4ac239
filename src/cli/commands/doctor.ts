import type { Command } from 'commander';
import type { Availability } from '../../envs/index.js';
import type { DoctorCheck } from './doctor-checks.js';
import { REPROBE_HELP } from '../env-help.js';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd()).join('\n');
}

/**
 * `bench doctor`: what this host can run. Host facts first (root,
 * namespaces, overlayfs, cgroups, KVM device, tools), then every backend's
 * own available() verdict, which is the one `bench run` acts on.
 */
export function register(program: Command, setExitCode: (code: number) => void): void {
  program
    .command('doctor')
    .description('check what this host can run (root, namespaces, overlayfs, cgroups, KVM, tools) and what to install')
    .option('--json', 'machine-readable: { host: [checks], environments: [verdicts] }')
    .option('--reprobe', REPROBE_HELP)
    .action(async (opts: { json?: boolean; reprobe?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals() as { home?: string };
      const [{ resolveHome }, { NATIVE_DIR }, { describeError }, { createEnvironments }, { hostChecks }] = await Promise.all([
        import('../../core/home.js'), import('../../core/version.js'), import('../../core/errors.js'), import('../../envs/index.js'), import('./doctor-checks.js'),
      ]);
      const { reprobeRequested } = await import('../../envs/verdict-cache.js');
      const checks: DoctorCheck[] = await hostChecks();
      const out: string[] = ['Host', ''];
      out.push(table([['', 'check', 'detail', 'needed for'], ...checks.map((c) => [c.ok ? 'ok' : 'MISSING', c.what, c.detail, c.neededFor])]));
      const fixes = checks.filter((c) => !c.ok && c.fix);
      if (fixes.length > 0) {
        out.push('', 'To fix:');
        for (const c of fixes) out.push(`  ${c.what}: ${c.fix}`);
      }

      const ctx = { home: resolveHome(globals.home), nativeDir: NATIVE_DIR, runId: 'doctor', log: () => {}, reprobe: reprobeRequested(opts.reprobe) };
      const envs = createEnvironments(ctx);
      const rows: string[][] = [['', 'environment', 'verdict']];
      const json: { env: string; ok: boolean; reason?: string; description?: string; accelerator?: string; probe?: string }[] = [];
      // Independent, untimed checks: asked all at once, printed in table order.
      const verdicts = await Promise.all(envs.map((env) => env.available().catch((err: unknown): Availability => ({ ok: false, reason: `check crashed: ${describeError(err).message}` }))));
      for (const [i, env] of envs.entries()) {
        const name = env.name;
        const a = verdicts[i]!;
        // Where a slow probe's verdict came from (cached on this boot, or probed now).
        const probe = a.facts?.acceleratorVerdict ?? a.facts?.gvisorPlatformVerdict;
        json.push({ env: name, ok: a.ok, ...(a.ok ? {} : { reason: a.reason ?? 'not available' }), ...(a.description ? { description: a.description } : {}), ...(a.accelerator ? { accelerator: a.accelerator } : {}), ...(probe ? { probe } : {}) });
        const extra = [a.description, a.accelerator ? `accelerator ${a.accelerator}${a.accelerator === 'tcg' ? ' (emulated)' : ''}` : undefined, probe ? `verdict ${probe}` : undefined].filter(Boolean).join('; ');
        rows.push([a.ok ? 'ok' : 'SKIP', name, a.ok ? extra || 'available' : a.reason ?? 'not available']);
      }
      out.push('', 'Environments (what `bench run` will do)', '', table(rows), '');
      if (opts.json) process.stdout.write(`${JSON.stringify({ host: checks, environments: json }, null, 2)}\n`);
      else process.stdout.write(`${out.join('\n')}\n`);
      setExitCode(0);
    });
}
