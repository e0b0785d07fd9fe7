// Crash diagnosis on inspect answers recorded from a real engine (docker 20.10, see the
// commands in fixtures/README.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { describe, expect, it } from 'vitest';
import { fromInspect } from '../../../src/engine/containerInfo.js';
import { diagnose, explainExitCode, inputFromContainer, inputFromInspect, restartsWithin } from '../../../src/ops/diagnosis.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const inspect = (name: string) => JSON.parse(fs.readFileSync(path.join(dir, `inspect-${name}.json`), 'utf8')) as Dockerode.ContainerInspectInfo;
const now = Date.parse('2026-11-22T10:30:00Z');

describe('diagnose (recorded inspect data)', () => {
  it('OOM: killed by its memory limit, exit 137', () => {
    const d = diagnose(inputFromInspect(inspect('oom-137')), [], now)!;
    expect(d.marker).toBe('OOM');
    expect(d.severity).toBe('error');
    expect(d.summary).toMatch(/out of memory/);
  });

  it('127: command not found, with the runtime error', () => {
    const d = diagnose(inputFromInspect(inspect('127')), [], now)!;
    expect(d.marker).toBe('127');
    expect(d.summary).toMatch(/failed to start: command not found/);
    expect(d.details.join(' ')).toMatch(/executable file not found/);
  });

  it('126: not executable', () => {
    const d = diagnose(inputFromInspect(inspect('126')), [], now)!;
    expect(d.marker).toBe('126');
    expect(d.summary).toMatch(/cannot be executed/);
    expect(d.details.join(' ')).toMatch(/permission denied/);
  });

  it('restart loop under restart: on-failure', () => {
    const input = inputFromInspect(inspect('restart-loop'));
    expect(input.restartPolicy).toBe('on-failure');
    const d = diagnose(input, [[now - 60_000, 3], [now - 10_000, 9]], now)!;
    expect(d.marker).toBe('loop');
    expect(d.details[0]).toMatch(/restart count 9, 6 in the last 5 minutes; restart policy on-failure/);
    expect(d.details.join(' ')).toMatch(/general error \(exit 1\)/);
  });

  it('restart loop from the restarting state alone (first sight, no history)', () => {
    expect(diagnose(inputFromInspect(inspect('restart-loop')), [], now)!.marker).toBe('loop');
  });

  it('failing health check with its last output', () => {
    const d = diagnose(inputFromInspect(inspect('unhealthy')), [], now)!;
    expect(d.marker).toBe('unhealthy');
    expect(d.details.join('\n')).toMatch(/last check \(exit 1\): bad-health-output/);
  });

  it('139 segfault, 143 SIGTERM, 137 from docker stop, 1, 0', () => {
    expect(diagnose(inputFromInspect(inspect('139')), [], now)!.summary).toMatch(/segmentation fault/);
    const term = diagnose(inputFromInspect(inspect('143')), [], now)!;
    expect(term.summary).toMatch(/SIGTERM/);
    expect(term.severity).toBe('info');
    const kill = diagnose(inputFromInspect(inspect('stop-137')), [], now)!;
    expect(kill.marker).toBe('137');
    expect(kill.severity).toBe('warning');
    expect(diagnose(inputFromInspect(inspect('exit1')), [], now)!.marker).toBe('1');
    const ok = diagnose(inputFromInspect(inspect('exit0')), [], now)!;
    expect(ok.severity).toBe('info');
    expect(ok.marker).toBe('');
  });

  it('nothing to say about a running, healthy container', () => {
    expect(diagnose(inputFromInspect(inspect('running')), [], now)).toBeNull();
  });

  it('gives the same answer from the ContainerInfo the watcher keeps', () => {
    for (const name of ['oom-137', '127', 'unhealthy', '139', 'exit1']) {
      const a = diagnose(inputFromInspect(inspect(name)), [], now);
      const b = diagnose(inputFromContainer(fromInspect(inspect(name))), [], now);
      expect(b?.marker, name).toBe(a?.marker);
      expect(b?.summary, name).toBe(a?.summary);
    }
  });
});

describe('exit codes and restart history', () => {
  it('explains the usual codes', () => {
    expect(explainExitCode(0)).toMatch(/normally/);
    expect(explainExitCode(1)).toMatch(/general error/);
    expect(explainExitCode(126)).toMatch(/permission denied or not an executable/);
    expect(explainExitCode(127)).toMatch(/command not found/);
    expect(explainExitCode(137)).toMatch(/SIGKILL/);
    expect(explainExitCode(137, true)).toMatch(/out of memory/);
    expect(explainExitCode(139)).toMatch(/segmentation fault/);
    expect(explainExitCode(143)).toMatch(/SIGTERM/);
    expect(explainExitCode(134)).toMatch(/signal 6 \(SIGABRT\)/);
    expect(explainExitCode(3)).toMatch(/code 3/);
  });

  it('counts restarts within the window only', () => {
    expect(restartsWithin([[now - 20 * 60_000, 1], [now - 10 * 60_000, 2], [now - 60_000, 4]], now)).toBe(2);
    expect(restartsWithin([[now - 20 * 60_000, 5]], now)).toBe(0);
    expect(restartsWithin([], now)).toBe(0);
  });
});
