import type { Environment, Prepared, Running, RunPresentation, Session, WorkloadInvocation } from '../envs/types.js';
import type { Sample } from '../results/types.js';
import type { Scenario } from '../scenario/schema.js';
import type { SlotSchedule } from '../scenario/workloads/index.js';
import { IMAGE_PATHS } from '../image/types.js';
import { ProcessError } from '../core/errors.js';
import { outputTail } from '../envs/launch-errors.js';
import { makeToken } from './run-id.js';

/** A run that reached its end but did not succeed: carries what the workload printed. */
export class RunFailedError extends ProcessError {
  constructor(code: string, message: string, readonly outputTail: string, readonly commandLine: string[], options: { cause?: unknown; hint?: string } = {}) {
    super(code, message, options);
  }
}

export interface RunOutcome {
  sample: Sample;
  commandLine: string[];
  /** The workload's argv inside the environment, and its output after the ready token. */
  argv: string[];
  output: string;
  /** How the environment presented the image to this run, when it has a choice (the VM). */
  presentation?: RunPresentation;
}

/**
 * The invocation of one run of a scenario: a fresh token, the workload's argv
 * inside the image. `params` replaces the scenario's when the run's work was
 * sized for its environment (src/scenario/work-size.ts).
 */
export function invocationFor(s: Scenario, token = makeToken(), peer?: { host: string; port: number }, params: Record<string, unknown> = s.workload.params, slots?: SlotSchedule): WorkloadInvocation {
  const built = s.definition.build(params, { scratchDir: IMAGE_PATHS.scratch, uniqueId: token, ...(peer ? { peer } : {}), ...(s.imageProcess ? { image: s.imageProcess } : {}), ...(slots ? { slots } : {}) });
  return {
    argv: built.argv,
    token,
    env: built.env ?? {},
    timeoutMs: Math.round(s.timeoutSeconds * 1000),
    limits: s.limits,
    ...(peer ? { hostPeer: true } : {}),
    ...(s.definition.storage ? { storage: s.definition.storage } : {}),
  };
}

/**
 * One timed run: start (spawn -> ready token), wait (-> exit), parse. A
 * non-zero exit or unparsable output is a failure of the environment for
 * this scenario, reported with the output tail; never a guess.
 */
export async function runOnce(
  env: Environment, prepared: Prepared, s: Scenario, round: number, peer?: { host: string; port: number }, params: Record<string, unknown> = s.workload.params, session?: Session,
  opts: { slots?: SlotSchedule; beforeStart?: (inv: WorkloadInvocation) => void } = {},
): Promise<RunOutcome> {
  const inv = invocationFor(s, makeToken(), peer, params, opts.slots);
  opts.beforeStart?.(inv);
  let running: Running | undefined;
  try {
    running = session ? await session.start(inv) : await env.start(prepared, inv);
    await running.ready;
    const out = await env.wait(running);
    const commandLine = [...running.commandLine];
    if (out.exitCode !== 0) {
      const tail = outputTail(out.output);
      const last = tail.trim().split('\n').slice(-3).join(' | ').slice(0, 300);
      throw new RunFailedError('RUN_NONZERO_EXIT', `${s.workload.type} exited with status ${out.exitCode} in ${env.name}${last ? `; output ends: ${last}` : ''}`, tail, commandLine, {
        hint: 'see outputTail in results.json for what the workload printed',
      });
    }
    let metrics: Record<string, number>;
    try {
      metrics = s.definition.parse(out.output, params);
    } catch (err) {
      throw new RunFailedError('RUN_BAD_OUTPUT', `cannot parse ${s.workload.type} output in ${env.name}: ${(err as Error).message}`, outputTail(out.output), commandLine, { cause: err });
    }
    return {
      commandLine,
      argv: inv.argv,
      output: out.output,
      ...(running.presentation ? { presentation: running.presentation } : {}),
      sample: {
        round,
        startupMs: out.startupMs,
        exitMs: out.exitMs,
        execMs: Math.max(0, out.exitMs - out.startupMs),
        exitCode: out.exitCode,
        metrics,
      },
    };
  } catch (err) {
    // Make sure nothing of a failed run keeps running into the next one.
    if (running && typeof (running as { kill?: unknown }).kill === 'function') (running as unknown as { kill: () => void }).kill();
    throw err;
  }
}
