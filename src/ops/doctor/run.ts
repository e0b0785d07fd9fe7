// Runs the doctor over one project: its compose file, the Dockerfiles it builds from,
// project-level checks, and (given an engine) its containers.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { containerName, projectContainers as findProjectContainers } from '../../project/members.js';
import { normalizeProjectName } from '../../project/names.js';
import { ComposeFile, findComposeFile, isRecord, otherProjectComposes, type PathSeg } from '../compose/file.js';
import type { ComposeCtx, ContainerCtx, DockerfileCtx, ExecResult } from './context.js';
import { parseDockerfile, type ParsedDockerfile } from './dockerfile.js';
import { gpuServices } from './gpuWanted.js';
import { composeRules } from './rules/compose.js';
import { containerRules } from './rules/container.js';
import { dockerfileRules } from './rules/dockerfile.js';
import { applyDockerfilePolicy, loadHadolintConfig } from './dockerfilePolicy.js';
import { hadolintDockerfile, hadolintVersion, mergeHadolint } from './hadolint.js';
import { shellcheckDockerfile, shellcheckVersion } from './shellcheck.js';
import { findOnPath } from '../../lib/findOnPath.js';
import { projectRules } from './rules/project.js';
import { SEVERITY_ORDER, type Finding, type Rule } from './types.js';

export interface OtherProject {
  name: string;
  path?: string;
}

export interface StaticOptions {
  /** The project folder. */
  dir: string;
  /** Project name (user config name, else the folder's name). */
  name?: string;
  /** Other projects berth knows, for port conflicts. */
  others?: OtherProject[];
  /** Variables that override the project's .env (docker compose gives the shell's environment precedence). */
  env?: Record<string, string | undefined>;
  /** Home folder for ~ in bind mounts (default: the user's). */
  home?: string;
  /** Where to look for shellcheck and hadolint (default: PATH) */
  path?: string;
}

export interface DoctorOptions extends StaticOptions {
  /** Engine to inspect containers on; without one, container checks are skipped. */
  docker?: Dockerode | null;
  /** The engine runs on this machine (bind-mount sources can be stat'ed). */
  local?: boolean;
  /** Container names or ids to check, e.g. from the user config. */
  containers?: string[];
}

export interface DoctorReport {
  project: string;
  dir: string;
  composeFile: string | null;
  dockerfiles: string[];
  containers: string[];
  findings: Finding[];
  /** The outside linters run over the Dockerfiles: their versions, null when not installed. */
  linters?: { shellcheck: string | null; hadolint: string | null };
}

async function runRules<C>(rules: Rule<C>[], ctx: C): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const rule of rules) {
    try {
      out.push(...(await rule.check(ctx)));
    } catch (e) {
      // One check going wrong (the engine going away mid-run, say) must not hide the others.
      out.push({
        id: rule.id,
        severity: 'warning',
        message: `the check could not run: ${(e as Error).message.split('\n')[0]}`,
        fix: 'Run the doctor again; if it keeps failing, report it with the message.',
      });
    }
  }
  return out;
}

function rel(dir: string, file: string): string {
  const r = path.relative(dir, file);
  return r && !r.startsWith('..') ? r : file;
}

/** The Dockerfiles a compose file builds from (local contexts only), by service. */
export function dockerfilesOf(compose: ComposeFile): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, svc] of Object.entries(compose.services)) {
    const b = svc.build;
    if (b === undefined) continue;
    const context = compose.expand(isRecord(b) ? (b.context ?? '.') : b) ?? '.';
    if (/^[a-z]+:\/\/|^git@|\.git(#|$)/.test(context)) continue;
    if (isRecord(b) && b.dockerfile_inline !== undefined) continue;
    const dockerfile = isRecord(b) && b.dockerfile ? compose.expand(b.dockerfile) ?? 'Dockerfile' : 'Dockerfile';
    out.set(name, path.resolve(compose.dir, context, dockerfile));
  }
  return out;
}

/** Compose file, Dockerfile and project checks: no engine needed. */
export async function staticChecks(opts: StaticOptions): Promise<Omit<DoctorReport, 'containers'> & { compose: ComposeFile | null }> {
  const dir = path.resolve(opts.dir);
  const home = opts.home ?? os.homedir();
  const env = opts.env ?? {};
  const findings: Finding[] = [];
  const composePath = findComposeFile(dir);
  const compose = composePath ? ComposeFile.load(composePath, env) : null;
  const name = opts.name ?? (compose ? compose.projectName() : normalizeProjectName(path.basename(dir)));

  const dockerfilePaths = new Set<string>();
  const byService = compose && compose.valid ? dockerfilesOf(compose) : new Map<string, string>();
  for (const p of byService.values()) dockerfilePaths.add(p);
  const rootDockerfile = path.join(dir, 'Dockerfile');
  if (fs.existsSync(rootDockerfile)) dockerfilePaths.add(rootDockerfile);
  const parsed = new Map<string, ParsedDockerfile>();
  for (const p of dockerfilePaths) {
    if (!fs.existsSync(p)) continue;
    parsed.set(p, parseDockerfile(fs.readFileSync(p, 'utf8')));
  }

  if (!compose && !parsed.size) {
    findings.push({
      id: 'project/files',
      severity: 'warning',
      message: `no compose file (compose.yaml, docker-compose.yml …) and no Dockerfile in ${dir}`,
      fix: 'Run `berth init` in the project folder to create them.',
    });
  }

  if (compose) {
    const display = rel(dir, compose.file);
    const where = (segs: PathSeg[], which: 'value' | 'key' = 'value') => ({ file: display, ...compose.yaml.locate(segs, which) });
    const ctx: ComposeCtx = {
      compose,
      display,
      home,
      where,
      dockerfileFor: (service) => {
        const p = byService.get(service);
        return p ? (parsed.get(p) ?? null) : null;
      },
    };
    const validity = await runRules([composeRules[0]!], ctx);
    findings.push(...validity);
    if (compose.valid) {
      findings.push(...(await runRules(composeRules.slice(1), ctx)));
      const others = otherProjectComposes(opts.others ?? [], { name, dir }, env);
      findings.push(...(await runRules(projectRules, { name, dir, compose, display, where, others })));
    }
  }

  // the outside linters, when installed and answering (looked for once, and only when there is a Dockerfile)
  const linter = async (name: string, version: (bin: string) => Promise<string | null>) => {
    const bin = parsed.size ? await findOnPath(name, opts.path ?? process.env.PATH) : null;
    const v = bin ? await version(bin) : null;
    return bin && v ? { bin, version: v } : null;
  };
  const shellcheck = await linter('shellcheck', shellcheckVersion);
  const hadolint = await linter('hadolint', hadolintVersion);
  const linters = { shellcheck: shellcheck?.version ?? null, hadolint: hadolint?.version ?? null };
  for (const [p, df] of parsed) {
    const ctx: DockerfileCtx = { parsed: df, display: rel(dir, p) };
    const { config, problem } = loadHadolintConfig([...new Set([path.dirname(p), dir])]);
    if (problem) {
      findings.push({
        id: 'dockerfile/hadolint-config',
        severity: 'error',
        message: `${problem.message} (the file is ignored)`,
        where: { file: rel(dir, problem.file), line: problem.line, column: problem.column },
        fix: 'Correct it: ignored: [DL3008] and override: {warning: [DL3015]} are the keys berth reads.',
      });
    }
    const own = await runRules(dockerfileRules, ctx);
    if (shellcheck) own.push(...(await shellcheckDockerfile(shellcheck.bin, df, ctx.display)));
    if (hadolint) {
      const h = await hadolintDockerfile(hadolint.bin, p, ctx.display);
      own.push(...mergeHadolint(own, h.findings));
      if (h.error) own.push({ id: 'dockerfile/hadolint', severity: 'warning', message: h.error, where: { file: ctx.display, line: 1 }, fix: 'Run hadolint on the file by hand to see why.' });
    }
    findings.push(...applyDockerfilePolicy(own, df, config));
  }

  return { project: name, dir, composeFile: compose?.file ?? null, dockerfiles: [...parsed.keys()], findings, compose, ...(parsed.size ? { linters } : {}) };
}

/** Runs a command in a container through the Engine API and collects its output. */
export async function execIn(docker: Dockerode, id: string, cmd: string[], timeoutMs = 15_000): Promise<ExecResult> {
  const container = docker.getContainer(id);
  let exec: Dockerode.Exec;
  try {
    exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  } catch (e) {
    return { exitCode: -1, stdout: '', stderr: (e as Error).message };
  }
  let stream: NodeJS.ReadWriteStream & { destroy(): void };
  try {
    stream = await exec.start({ hijack: true, stdin: false });
  } catch (e) {
    return { exitCode: -1, stdout: '', stderr: (e as Error).message };
  }
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (c: Buffer) => chunks.out.push(c));
  err.on('data', (c: Buffer) => chunks.err.push(c));
  docker.modem.demuxStream(stream, out, err);
  const finished = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      stream.destroy();
      resolve(false);
    }, timeoutMs);
    const done = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    stream.on('end', done);
    stream.on('close', done);
    stream.on('error', done);
  });
  const stdout = Buffer.concat(chunks.out).toString('utf8');
  const stderr = Buffer.concat(chunks.err).toString('utf8');
  if (!finished) return { exitCode: -1, stdout, stderr: stderr + `\n(timed out after ${timeoutMs} ms)` };
  // The exit code is set a moment after the stream ends.
  for (let i = 0; i < 20; i++) {
    const info = await exec.inspect();
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return { exitCode: info.ExitCode, stdout, stderr };
    await new Promise((r) => setTimeout(r, 50));
  }
  return { exitCode: -1, stdout, stderr };
}

/** Container checks for one container (by name or id). */
export async function checkContainer(
  docker: Dockerode,
  idOrName: string,
  opts: { local?: boolean; projectDir?: string | null; gpuServices?: ReadonlySet<string>; runtimes?: string[] } = {},
): Promise<Finding[]> {
  let info: Dockerode.ContainerInspectInfo;
  try {
    info = await docker.getContainer(idOrName).inspect();
  } catch (e) {
    const status = (e as { statusCode?: number }).statusCode;
    return [
      {
        id: 'container/running',
        severity: 'error',
        message: status === 404 ? 'no such container' : `cannot inspect: ${(e as Error).message}`,
        where: { container: idOrName },
        fix: 'Create it (berth compose <project> up) or correct the container name in the config.',
      },
    ];
  }
  const name = info.Name.replace(/^\//, '');
  const ctx: ContainerCtx = {
    docker,
    info,
    name,
    local: opts.local ?? false,
    projectDir: opts.projectDir ?? null,
    wantsGpu: opts.gpuServices?.has(info.Config?.Labels?.['com.docker.compose.service'] ?? '') ?? false,
    runtimes: opts.runtimes,
    exec: (cmd, timeoutMs) => execIn(docker, info.Id, cmd, timeoutMs),
  };
  return runRules(containerRules, ctx);
}

/** Names of the project's containers: compose labels (v1 and v2 naming) plus listed ones. */
export async function projectContainers(docker: Dockerode, composeProject: string | null, listed: string[] = []): Promise<string[]> {
  const names = new Set<string>(listed);
  if (composeProject) for (const c of (await findProjectContainers(docker, composeProject)).containers) names.add(containerName(c));
  return [...names].sort();
}

/** The whole doctor for one project. */
export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const st = await staticChecks(opts);
  const findings = [...st.findings];
  let containers: string[] = [];
  if (opts.docker) {
    const composeProject = st.compose?.valid ? st.compose.projectName() : null;
    try {
      containers = await projectContainers(opts.docker, composeProject, opts.containers);
    } catch (e) {
      findings.push({
        id: 'container/engine',
        severity: 'warning',
        message: `cannot list containers: ${(e as Error).message}; container checks skipped`,
        fix: 'Check that the Docker engine is running and reachable (DOCKER_HOST / docker context).',
      });
    }
    const wanted = st.compose?.valid ? gpuServices(st.compose) : new Set<string>();
    let runtimes: string[] | undefined;
    if (wanted.size) {
      try {
        runtimes = Object.keys(((await opts.docker.info()) as { Runtimes?: Record<string, unknown> }).Runtimes ?? {});
      } catch {
        runtimes = undefined;
      }
    }
    for (const c of containers) {
      findings.push(...(await checkContainer(opts.docker, c, { local: opts.local, projectDir: st.dir, gpuServices: wanted, runtimes })));
    }
  }
  return { project: st.project, dir: st.dir, composeFile: st.composeFile, dockerfiles: st.dockerfiles, containers, findings, ...(st.linters ? { linters: st.linters } : {}) };
}

/** Stable order: by group, then file position, then severity. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort((a, b) => {
    const wa = a.where && 'line' in a.where ? a.where.line : 0;
    const wb = b.where && 'line' in b.where ? b.where.line : 0;
    return wa - wb || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
  });
}
