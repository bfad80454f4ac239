import { ProcessError } from '../../core/errors.js';
import { outputTail } from '../launch-errors.js';

/** The guest booted but did not report a workload status (crash, panic, kernel without our init). */
export class VmGuestError extends ProcessError {
  readonly outputTail: string;

  constructor(code: string, message: string, consoleText: string) {
    super(code, message, { hint: 'see the console tail in results.json; rerun with the vm option extraKernelParams=["loglevel=7"] to see kernel messages' });
    this.outputTail = outputTail(consoleText);
  }
}
