import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { serverNodeFlags } from '../../../src/sessions/client.js';

describe('the node flags the client starts the server with', () => {
  it('raise V8\'s optimisation budget on the V8 versions known to have the flag, and on no other (Node refuses unknown flags)', () => {
    expect(serverNodeFlags('11.3.244.8-node.38')).toEqual(['--interrupt-budget=1000000']);
    expect(serverNodeFlags('12.4.254.21-node.33')).toEqual(['--interrupt-budget=1000000']);
    expect(serverNodeFlags('14.0.1')).toEqual([]);
    expect(serverNodeFlags('9.4.146')).toEqual([]);
  });

  it('are accepted by this Node', () => {
    const out = execFileSync(process.execPath, [...serverNodeFlags(), '-e', 'process.stdout.write("started")'], { encoding: 'utf8' });
    expect(out).toBe('started');
  });
});
