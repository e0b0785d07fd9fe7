// The probable cause of a failing health check, and the program a configured agent command starts.
import { describe, expect, it } from 'vitest';
import { commandProgram, healthCause } from '../../../src/ops/doctor/rules/container.js';

describe('healthCause', () => {
  it('reads the usual failures from the last output and exit code', () => {
    expect(healthCause('OCI runtime exec failed: exec: "curl": executable file not found in $PATH', 126)).toMatch(/^the check's command is not in the image/);
    expect(healthCause('sh: wget: not found', 127)).toMatch(/not in the image/);
    expect(healthCause('Health check exceeded timeout (5s)', -1)).toMatch(/^the check timed out/);
    expect(healthCause('curl: (7) Failed to connect to localhost port 8080: Connection refused', 7)).toMatch(/^what it checks does not answer/);
    expect(healthCause('HTTP/1.1 503 Service Unavailable', 22)).toMatch(/server error/);
    expect(healthCause('HTTP/1.1 401 Unauthorized', 22)).toMatch(/needs credentials/);
    expect(healthCause('', 1)).toMatch(/^the check fails: run it by hand/);
  });
});

describe('commandProgram', () => {
  it('the first word after VAR=value assignments, unquoted', () => {
    expect(commandProgram('claude --dangerously-skip-permissions')).toBe('claude');
    expect(commandProgram('ANTHROPIC_MODEL=x FOO=1 "bash" -l')).toBe('bash');
    expect(commandProgram('   ')).toBeNull();
  });
});
