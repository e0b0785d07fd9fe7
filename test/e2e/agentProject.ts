// The fixture project the agent-pane e2e tests share: test/fixtures/agents/project (an
// .ntm/config.toml whose agents are the scripted fake agent) registered in a private berth
// config, and a running container of the private engine holding the fake agent.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TestEngine } from '../harness/engine.js';
import { berthEnv, CLI, ROOT } from './tmux.js';

const run = promisify(execFile);

export interface AgentProject {
  dir: string;
  container: string;
  /** The environment berth runs in: this engine, and config, state and runtime folders of its own. */
  env(): Record<string, string>;
  /** berth without a terminal: exit code, stdout, stderr. */
  berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Ends every session (and so the session server) of this berth. */
  endSessions(): void;
  /** The fake agents running in the container. */
  agentsInContainer(): Promise<number>;
  remove(): void;
}

export async function agentProject(engine: TestEngine, name: string, container: string, extraEnv: Record<string, string> = {}): Promise<AgentProject> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${name}-`));
  const project = path.join(dir, 'fx');
  fs.cpSync(path.join(ROOT, 'test/fixtures/agents/project'), project, { recursive: true });
  fs.mkdirSync(path.join(dir, 'config', 'berth'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'config', 'berth', 'config.toml'), `[[projects]]\nname = "fx"\npath = "${project}"\ncontainers = ["${container}"]\n`);
  await engine.dockerCli(['run', '-d', '--name', container, '--label', 'berth.test=1', '--network', 'none', engine.image, 'sleep', '3600']);
  await engine.dockerCli(['cp', path.join(ROOT, 'test/fixtures/agents/fake-agent.sh'), `${container}:/fake-agent.sh`]);

  const env = () => berthEnv(engine.host, dir, { DOCKER_CONFIG: process.env.DOCKER_CONFIG ?? path.join(dir, 'docker-config'), ...extraEnv });
  return {
    dir,
    container,
    env,
    async berth(...args) {
      try {
        const r = await run('node', [CLI, ...args], { env: { ...process.env, ...env() }, encoding: 'utf8' });
        return { code: 0, stdout: r.stdout, stderr: r.stderr };
      } catch (e) {
        const x = e as { code: number; stdout: string; stderr: string };
        return { code: x.code, stdout: x.stdout, stderr: x.stderr };
      }
    },
    endSessions() {
      execFileSync('node', [CLI, 'kill-server', '-y'], { env: { ...process.env, ...env() }, stdio: 'ignore' });
    },
    async agentsInContainer() {
      const ps = (await engine.dockerCli(['exec', container, 'ps'])).stdout;
      return ps.split('\n').filter((l) => l.includes('fake-agent.sh')).length;
    },
    remove() {
      // a session server a failed test left behind would outlive the run: end it
      try {
        const pid = Number(fs.readFileSync(path.join(dir, 'run', 'berth', 'server.pid'), 'utf8'));
        if (pid > 0) process.kill(pid, 'SIGTERM');
      } catch {
        // none left
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
