// Live container rules: inspect data plus a few commands run inside through exec.
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerCtx } from '../context.js';
import type { Finding, Rule, Severity } from '../types.js';
import { checkGpuRequest, type GpuInspectLike } from '../../gpu/index.js';
import { agentCommand, loadNtmConfig, type NtmConfig } from '../../../config/ntm.js';
import { knownDataDirs, mountCovering } from './compose.js';

type ContainerRule = Rule<ContainerCtx>;

function where(ctx: ContainerCtx): Finding['where'] {
  return { container: ctx.name };
}

function isRunning(ctx: ContainerCtx): boolean {
  return ctx.info.State?.Running === true && ctx.info.State?.Restarting !== true;
}

interface MountLike {
  Type?: string;
  Source?: string;
  Destination: string;
  Name?: string;
  RW?: boolean;
}

function mountsOf(ctx: ContainerCtx): (MountLike & { target: string })[] {
  return ((ctx.info.Mounts ?? []) as MountLike[]).map((m) => ({ ...m, target: m.Destination }));
}

export const containerRunning: ContainerRule = {
  id: 'container/running',
  target: 'container',
  title: 'The container is running',
  check(ctx) {
    const st = ctx.info.State;
    if (isRunning(ctx)) return [];
    if (st?.Restarting) {
      return [
        {
          id: 'container/running',
          severity: 'error',
          message: `restarting in a loop (restart count ${ctx.info.RestartCount ?? 0}, last exit code ${st.ExitCode})`,
          where: where(ctx),
          fix: `Read its logs (berth logs / docker logs ${ctx.name}) for the reason it exits.`,
        },
      ];
    }
    const why = st?.OOMKilled ? ', killed for using too much memory' : st?.ExitCode ? ` with exit code ${st.ExitCode}` : '';
    return [
      {
        id: 'container/running',
        severity: 'warning',
        message: `not running (${st?.Status ?? 'unknown'}${why}); checks inside the container were skipped`,
        where: where(ctx),
        fix: `Start it (berth compose <project> up, or docker start ${ctx.name}) and run the doctor again.`,
      },
    ];
  },
};

export const containerWorkspaceMount: ContainerRule = {
  id: 'container/workspace-mount',
  target: 'container',
  title: 'The project folder is bind-mounted (onto /workspace or its own path)',
  check(ctx) {
    const dir = ctx.projectDir ? path.resolve(ctx.projectDir) : null;
    const ok = mountsOf(ctx).some(
      (m) => m.Type === 'bind' && (m.Destination === '/workspace' || (dir !== null && (m.Source === dir || m.Destination === dir))),
    );
    if (ok) return [];
    return [
      {
        id: 'container/workspace-mount',
        severity: 'error',
        message: 'no workspace bind mount: what the agents write stays inside the container and is lost with it',
        where: where(ctx),
        fix: 'Mount the project folder: volumes: [".:/workspace"] in the compose file, then recreate the container.',
      },
    ];
  },
};

/** Credential folders the agent CLIs keep their logins in, by the mount target's ending. */
export const CREDENTIAL_TARGETS: { agent: string; endings: string[]; host: string }[] = [
  { agent: 'claude', endings: ['/.claude'], host: '~/.claude' },
  { agent: 'codex', endings: ['/.codex'], host: '~/.codex' },
  { agent: 'gemini', endings: ['/.config/gemini', '/.gemini'], host: '~/.config/gemini' },
];

export const containerCredentialMounts: ContainerRule = {
  id: 'container/credential-mounts',
  target: 'container',
  title: 'Agent credential folders are mounted and not writable by other users on the host',
  check(ctx) {
    const out: Finding[] = [];
    const mounts = mountsOf(ctx);
    for (const cred of CREDENTIAL_TARGETS) {
      const m = mounts.find((x) => cred.endings.some((e) => x.Destination.endsWith(e)));
      if (!m) {
        out.push({
          id: 'container/credential-mounts',
          severity: 'warning',
          message: `${cred.host} is not mounted: ${cred.agent} has to log in again whenever the container is recreated`,
          where: where(ctx),
          fix: `Add "${cred.host}:/home/<user>${cred.endings[0]}" to the service's volumes.`,
        });
        continue;
      }
      if (m.Type !== 'bind' || !m.Source || !ctx.local) continue;
      let mode: number;
      try {
        mode = fs.statSync(m.Source).mode;
      } catch {
        out.push({
          id: 'container/credential-mounts',
          severity: 'warning',
          message: `the host side of the ${cred.agent} credential mount (${m.Source}) does not exist`,
          where: where(ctx),
          fix: `Create it with mode 700 (mkdir -m 700 -p ${m.Source}) before starting the container.`,
        });
        continue;
      }
      if (mode & 0o002) {
        out.push({
          id: 'container/credential-mounts',
          severity: 'error',
          message: `${m.Source} (${cred.agent} credentials) is writable by every user on the host (mode ${(mode & 0o777).toString(8)})`,
          where: where(ctx),
          fix: `chmod o-w ${m.Source} (700 is best).`,
        });
      }
    }
    return out;
  },
};

export const AGENT_CLIS = ['claude', 'codex', 'gemini'] as const;

/** The project's .ntm/config.toml, when it has one that reads (the doctor reports a broken one elsewhere). */
function projectNtm(ctx: ContainerCtx): NtmConfig | null {
  if (!ctx.projectDir) return null;
  try {
    return loadNtmConfig(ctx.projectDir);
  } catch {
    return null;
  }
}

/** The program a configured command line starts: its first word after VAR=value assignments. */
export function commandProgram(line: string): string | null {
  for (const w of line.trim().split(/\s+/)) {
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) continue;
    return w.replace(/^["']|["']$/g, '') || null;
  }
  return null;
}

export const containerAgentClis: ContainerRule = {
  id: 'container/agent-clis',
  target: 'container',
  title: "The agent CLIs (claude, codex, gemini, or what the project's .ntm/config.toml runs for them) are installed; their versions",
  async check(ctx) {
    if (!isRunning(ctx)) return [];
    const out: Finding[] = [];
    const ntm = projectNtm(ctx);
    for (const cli of AGENT_CLIS) {
      const configured = ntm ? agentCommand(ntm, cli) : null;
      if (configured?.fromConfig) {
        // the project runs something else for this agent: that is what must be there
        const program = commandProgram(configured.command);
        if (!program) continue;
        const r = await ctx.exec(['sh', '-c', `command -v "$1"`, 'sh', program], 20_000);
        const found = r.exitCode === 0 && r.stdout.trim() !== '';
        const at = r.stdout.trim().startsWith('/') ? ` at ${r.stdout.trim()}` : '';
        out.push({
          id: 'container/agent-clis',
          severity: found ? 'info' : 'warning',
          message: found ? `${cli} runs \`${configured.command}\` (${ntm!.file}): ${program} found${at}` : `${cli} runs \`${configured.command}\` (${ntm!.file}), and ${program} is not in the container`,
          where: where(ctx),
          fix: found ? 'Nothing to do.' : `Install ${program} in the image, or change agents.${cli} in ${ntm!.file}.`,
        });
        continue;
      }
      const r = await ctx.exec([cli, '--version'], 20_000);
      const text = (r.stdout.trim() || r.stderr.trim()).split('\n')[0] ?? '';
      if (r.exitCode === 0) {
        out.push({ id: 'container/agent-clis', severity: 'info', message: `${cli} ${text}`.trim(), where: where(ctx), fix: 'Nothing to do.' });
      } else {
        out.push({
          id: 'container/agent-clis',
          severity: 'warning',
          message: r.exitCode === 126 || r.exitCode === 127 || /not found|no such file/i.test(text) ? `${cli} is not installed` : `${cli} --version failed (exit ${r.exitCode}): ${text}`,
          where: where(ctx),
          fix: `Install it in the image (npm i -g with a pinned version) or ignore this if you do not use ${cli}.`,
        });
      }
    }
    return out;
  },
};

interface HealthLog {
  ExitCode?: number;
  Output?: string;
  End?: string;
}

/** A probable cause for a failing health check, from its last output and exit code. */
export function healthCause(output: string, exitCode: number | undefined): string {
  if (exitCode === 127 || exitCode === 126 || /executable file not found|not found|no such file/i.test(output)) return "the check's command is not in the image (curl and wget are often missing from slim images)";
  if (exitCode === -1 || /timed? ?out|deadline/i.test(output)) return 'the check timed out: the service hangs, or the timeout is shorter than it needs';
  if (/connection refused|could not connect|couldn't connect|not reachable|unreachable|failed to connect|no route/i.test(output)) return 'what it checks does not answer: the service is not up (yet), listens on another port or address, or a service it needs is down';
  if (/\b(401|403|unauthori[sz]ed|forbidden|denied)\b/i.test(output)) return 'the check is refused: it needs credentials, or checks a path that requires them';
  if (/\b5\d\d\b/.test(output)) return 'the service answers with a server error: read its logs';
  return 'the check fails: run it by hand in the container to see why';
}

export const containerHealth: ContainerRule = {
  id: 'container/health',
  target: 'container',
  title: 'A container with a health check is healthy; when not, its last check outputs and a probable cause',
  check(ctx) {
    const health = (ctx.info.State as { Health?: { Status?: string; FailingStreak?: number; Log?: HealthLog[] } } | undefined)?.Health;
    if (!health || health.Status !== 'unhealthy') return [];
    const logs = (health.Log ?? []).slice(-3);
    const last = logs.at(-1);
    const outputs = logs.map((l) => `exit ${l.ExitCode ?? '?'}: ${(l.Output ?? '').trim().replace(/\s+/g, ' ').slice(0, 200) || '(no output)'}`);
    const test = (ctx.info.Config as { Healthcheck?: { Test?: string[] } } | undefined)?.Healthcheck?.Test ?? [];
    const cmd = test[0] === 'CMD-SHELL' ? ['sh', '-c', test.slice(1).join(' ')] : test[0] === 'CMD' ? test.slice(1) : [];
    return [
      {
        id: 'container/health',
        severity: 'error',
        message: `unhealthy: its health check failed ${health.FailingStreak ?? logs.length} time(s) in a row; probably ${healthCause(last?.Output ?? '', last?.ExitCode)}. Last checks: ${outputs.join(' | ')}`,
        where: where(ctx),
        fix: cmd.length ? `Run the check by hand: docker exec ${ctx.name} ${cmd.map((w) => (/[\s'"$]/.test(w) ? `'${w.replace(/'/g, "'\\''")}'` : w)).join(' ')}; then fix the service or the check (healthcheck: in the compose file).` : `Read docker inspect ${ctx.name} (State.Health) and the service's logs.`,
      },
    ];
  },
};

export const containerRestartPolicy: ContainerRule = {
  id: 'container/restart-policy',
  target: 'container',
  title: 'The container has a restart policy',
  check(ctx) {
    const name = ctx.info.HostConfig?.RestartPolicy?.Name ?? '';
    if (name && name !== 'no') return [];
    return [
      {
        id: 'container/restart-policy',
        severity: 'warning',
        message: 'no restart policy: after a crash or a reboot the container stays down',
        where: where(ctx),
        fix: `Set restart: unless-stopped in the compose file (or docker update --restart unless-stopped ${ctx.name}).`,
      },
    ];
  },
};

/** Data directories to look for in a running container, with how much their loss matters. */
const DATA_DIRS: { dir: string; kind: 'database' | 'cache' | 'logs' }[] = [
  ...['/var/lib/postgresql/data', '/var/lib/mysql', '/data/db', '/var/lib/mongodb', '/var/lib/redis', '/usr/share/elasticsearch/data', '/var/lib/rabbitmq', '/var/lib/clickhouse'].map((dir) => ({ dir, kind: 'database' as const })),
  ...['~/.cache', '~/.npm', '~/.local/share'].map((dir) => ({ dir, kind: 'cache' as const })),
  ...['/var/log/postgresql', '/var/log/mysql'].map((dir) => ({ dir, kind: 'logs' as const })),
];

function isAnonymous(m: MountLike): boolean {
  return m.Type === 'volume' && /^[0-9a-f]{64}$/.test(m.Name ?? '');
}

export const containerDataVolume: ContainerRule = {
  id: 'container/data-volume',
  target: 'container',
  title: 'Data directories (databases, caches, logs) are on a named volume or bind mount',
  async check(ctx) {
    if (!isRunning(ctx)) return [];
    const env: Record<string, string> = {};
    for (const e of ctx.info.Config?.Env ?? []) {
      const eq = e.indexOf('=');
      if (eq > 0) env[e.slice(0, eq)] = e.slice(eq + 1);
    }
    const wanted = [...DATA_DIRS];
    for (const d of knownDataDirs(ctx.info.Config?.Image ?? '', env)) if (!wanted.some((w) => w.dir === d)) wanted.push({ dir: d, kind: 'database' });
    for (const v of Object.keys(ctx.info.Config?.Volumes ?? {})) if (!wanted.some((w) => w.dir === v)) wanted.push({ dir: v, kind: 'database' });
    // One exec: print $HOME, then each directory that exists (~ expanded inside).
    const script = 'echo "$HOME"; for d in "$@"; do case "$d" in "~"/*) d="$HOME${d#"~"}";; esac; [ -d "$d" ] && echo "$d"; done; exit 0';
    const r = await ctx.exec(['sh', '-c', script, 'sh', ...wanted.map((w) => w.dir)], 15_000);
    if (r.exitCode !== 0) return [];
    const [home = '', ...present] = r.stdout.split('\n').map((s) => s.trim()).filter((s, i) => i === 0 || s);
    const mounts = mountsOf(ctx);
    const out: Finding[] = [];
    for (const w of wanted) {
      const dir = w.dir.startsWith('~/') ? path.posix.join(home || '/', w.dir.slice(2)) : w.dir;
      if (!present.includes(dir)) continue;
      const m = mountCovering(mounts, dir);
      const sev: Severity = w.kind === 'database' ? 'warning' : 'info';
      if (!m || m.Type === 'tmpfs') {
        // The root folder or the home folder of a scratch-like image is not "data".
        if (w.kind !== 'database' && (dir === home || dir === '/')) continue;
        out.push({
          id: 'container/data-volume',
          severity: sev,
          message: `${dir} (${w.kind}) is not on a volume: it is lost when the container is recreated`,
          where: where(ctx),
          fix: `Mount a named volume on ${dir} in the compose file.`,
        });
      } else if (isAnonymous(m)) {
        out.push({
          id: 'container/data-volume',
          severity: sev,
          message: `${dir} (${w.kind}) is on an anonymous volume: a new container does not get it back`,
          where: where(ctx),
          fix: `Give the volume a name in the compose file (name:${dir}) so it outlives the container.`,
        });
      }
    }
    return out;
  },
};

export const containerLogRotation: ContainerRule = {
  id: 'container/log-rotation',
  target: 'container',
  title: 'json-file logs are rotated (max-size)',
  check(ctx) {
    const lc = ctx.info.HostConfig?.LogConfig;
    const type = lc?.Type ?? 'json-file';
    if (type !== 'json-file') return [];
    if (lc?.Config && 'max-size' in lc.Config) return [];
    return [
      {
        id: 'container/log-rotation',
        severity: 'warning',
        message: 'json-file logs without max-size: the log grows until the disk is full',
        where: where(ctx),
        fix: 'Add logging: { driver: json-file, options: { max-size: "10m", max-file: "3" } } to the service and recreate it.',
      },
    ];
  },
};

/** GPU projects: the container requests the GPU its compose service asks for, and the engine can honour it. */
export const containerGpu: ContainerRule = {
  id: 'container/gpu',
  target: 'container',
  title: 'A GPU service requests a GPU the engine can provide',
  check(ctx) {
    return checkGpuRequest(ctx.info as unknown as GpuInspectLike, ctx.wantsGpu ?? false, { runtimes: ctx.runtimes });
  },
};

export const containerRules: ContainerRule[] = [
  containerRunning,
  containerHealth,
  containerRestartPolicy,
  containerLogRotation,
  containerWorkspaceMount,
  containerCredentialMounts,
  containerAgentClis,
  containerDataVolume,
  containerGpu,
];
