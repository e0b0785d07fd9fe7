import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../../src/commands/examples.js';
import { commandNames, normalizeArgs } from '../../../src/program.js';

const names = ['ps', 'spawn', 'attach', 'ls', 'kill-server', 'doctor', 'server'];

describe('the command line before commander reads it', () => {
  it('turns berth help <command> into <command> --help, and berth help into --help', () => {
    expect(normalizeArgs(['help', 'ps'], names)).toEqual(['ps', '--help']);
    expect(normalizeArgs(['help'], names)).toEqual(['--help']);
    expect(normalizeArgs(['ps', '--json'], names)).toEqual(['ps', '--json']);
    expect(normalizeArgs(['--version'], names)).toEqual(['--version']);
  });

  it('refuses a word that is no command, naming the closest one', () => {
    expect(() => normalizeArgs(['pss'], names)).toThrow('unknown command "pss" (did you mean ps?); berth --help lists them');
    expect(() => normalizeArgs(['spwan', 'x'], names)).toThrow('(did you mean spawn?)');
    expect(() => normalizeArgs(['frobnicate'], names)).toThrow('unknown command "frobnicate"; berth --help lists them');
  });
});

describe('examples in --help', () => {
  it('every command has examples, and each runs that command', () => {
    const names = commandNames();
    expect(names.length).toBeGreaterThan(10);
    for (const name of names) {
      const list = EXAMPLES[name] ?? [];
      expect(list.length, name).toBeGreaterThan(0);
      for (const e of list) expect(e, name).toMatch(new RegExp(`(^|&& )berth ${name}\\b`));
    }
    expect(Object.keys(EXAMPLES).filter((n) => n !== 'berth' && !names.includes(n))).toEqual([]);
  });
});
