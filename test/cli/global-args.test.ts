import { describe, expect, it } from 'vitest';
import { Command } from 'commander';
import { asksVersionOnly, commandWord, CONTAINER_WORDS } from '../../src/cli/global-args.js';
import { COMMAND_GROUPS, groupFor } from '../../src/cli/commands/groups.js';
import { commands } from '../../src/cli/commands/index.js';

describe('argv before commander', () => {
  it('asksVersionOnly: -V/--version after global options only', () => {
    expect(asksVersionOnly(['--version'])).toBe(true);
    expect(asksVersionOnly(['-V'])).toBe(true);
    expect(asksVersionOnly(['--home', '/h', '--version'])).toBe(true);
    expect(asksVersionOnly(['--home=/h', '-q', '--quiet', '-V'])).toBe(true);
    expect(asksVersionOnly([])).toBe(false);
    expect(asksVersionOnly(['--home', '--version'])).toBe(false); // --version is the home here
    expect(asksVersionOnly(['ctr', '--version'])).toBe(false);
    expect(asksVersionOnly(['--version', 'ctr'])).toBe(false);
    expect(asksVersionOnly(['--bogus', '--version'])).toBe(false);
  });

  it('commandWord: the first operand after global options', () => {
    expect(commandWord(['ctr', 'run'])).toBe('ctr');
    expect(commandWord(['--home', '/h', '-q', 'ps', '-a'])).toBe('ps');
    expect(commandWord(['--home=/h', 'image', 'ls'])).toBe('image');
    expect(commandWord(['--home', 'ctr'])).toBeUndefined(); // "ctr" is the home
    expect(commandWord(['--help', 'ctr'])).toBeUndefined();
    expect(commandWord(['--bogus', 'ctr'])).toBeUndefined();
    expect(commandWord([])).toBeUndefined();
  });
});

describe('command groups', () => {
  const topLevel = async (registers: typeof commands) => {
    const p = new Command('bench');
    for (const r of registers) r(p, () => {});
    return p.commands.map((c) => c.name());
  };

  it('each group registers exactly the words it is found by', async () => {
    for (const g of COMMAND_GROUPS) expect((await topLevel(await g.load())).sort()).toEqual([...g.names].sort());
  });

  it('the groups together are every command but completion (which needs them all)', async () => {
    const all = await topLevel(commands);
    expect(COMMAND_GROUPS.flatMap((g) => g.names).sort()).toEqual(all.filter((n) => n !== 'completion').sort());
  });

  it('help, completion and unknown words get every command', () => {
    expect(groupFor(['--help'])).toBeUndefined();
    expect(groupFor(['help', 'ctr'])).toBeUndefined();
    expect(groupFor(['completion', 'bash'])).toBeUndefined();
    expect(groupFor(['ctrr'])).toBeUndefined();
    expect(groupFor(['--home', '/h', 'ctr', 'run', '--help'])?.names).toEqual(CONTAINER_WORDS);
  });
});
