import { describe, expect, it } from 'vitest';
import { dashboardArgs, prewarmServerArgs } from '../../../src/client/args.js';

describe('the thin client reads the bare dashboard command line itself', () => {
  it('takes berth alone, --host/-H and --theme in both spellings', () => {
    expect(dashboardArgs([])).toEqual({});
    expect(dashboardArgs(['-H', 'unix:///x.sock'])).toEqual({ host: 'unix:///x.sock' });
    expect(dashboardArgs(['--host=ssh://me@box', '--theme', 'light'])).toEqual({ host: 'ssh://me@box', theme: 'light' });
    expect(dashboardArgs(['--theme=default'])).toEqual({ theme: 'default' });
  });

  it('leaves everything else to commander (subcommands, help, typos, missing or repeated values)', () => {
    for (const args of [['ps'], ['--help'], ['-h'], ['--version'], ['--hots', 'x'], ['-H'], ['-H', '--theme', 'x'], ['--theme='], ['-H', 'a', '-H', 'b'], ['attach']]) {
      expect(dashboardArgs(args)).toBeNull();
    }
  });
});

describe('the server a dashboard client starts', () => {
  it('is read without the command parser only in the exact form the client writes', () => {
    expect(prewarmServerArgs(['server', '--prewarm'])).toEqual({ prewarm: true });
    expect(prewarmServerArgs(['server', '--prewarm', '--host', 'tcp://h:2375'])).toEqual({ prewarm: true, host: 'tcp://h:2375' });
    for (const args of [['server'], ['server', '--help'], ['server', '--prewarm', '-H'], ['server', '--prewarm', '--host', ''], ['ps', '--prewarm']]) {
      expect(prewarmServerArgs(args)).toBeNull();
    }
  });
});
