// `berth proxy add <project> <service> --host H --port P [--tls]`: plans the compose edit,
// shows it as a diff, asks first (or --yes; --dry-run only shows), writes the file in place
// (same mode, through a temporary file and a rename), then checks the result with the
// doctor's Traefik rules.
import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../../config/errors.js';
import { ComposeFile, findComposeFile, otherProjectComposes, type PathSeg } from '../compose/file.js';
import { resolveProject } from '../compose/project.js';
import { traefikRules } from '../doctor/rules/traefik.js';
import { formatWhere } from '../doctor/format.js';
import { planProxyAdd, type ProxyPlan } from './add.js';
import { containerPorts, traefikInstances } from './traefik.js';
import type { Finding } from '../doctor/types.js';

export interface ProxyAddCommand {
  project: string;
  service: string;
  host: string;
  /** the app's port in the container; without it, the service's only port */
  port?: string;
  tls?: boolean;
  entrypoint?: string;
  resolver?: string;
  network?: string;
  path?: string;
  dryRun?: boolean;
  yes?: boolean;
  out?: NodeJS.WritableStream;
  /** asks a yes/no question; without one (no terminal) the edit needs --yes */
  confirm?: (question: string) => Promise<boolean>;
}

export interface PreparedProxyAdd {
  file: string;
  /** the compose file's name, as the diff and findings show it */
  rel: string;
  name: string;
  dir: string;
  plan: ProxyPlan;
  /** unified diff of the change ('' when there is none) */
  diff: string;
  port: number;
  composes: Array<{ name: string; compose: ComposeFile }>;
}

/**
 * The edit for one service of the project in `dir`: the Traefik containers known (this and the
 * other projects), the plan, its diff. Without a port, the service's only port (expose/ports).
 */
export function prepareProxyAdd(o: { dir: string; service: string; host: string; port?: number; tls: boolean; entrypoint?: string; resolver?: string; network?: string; others: Array<{ name: string; path?: string }> }): PreparedProxyAdd {
  const file = findComposeFile(o.dir);
  if (!file) throw new UserError(`no compose file in ${o.dir} (compose.yaml, docker-compose.yml …)`);
  const compose = ComposeFile.load(file, {});
  if (!compose.valid) throw new UserError(`${file}: fix it first (berth doctor says what is wrong)`);
  const name = compose.projectName();
  // Traefik containers of this project and of the other known ones
  const composes = otherProjectComposes(o.others, { name, dir: o.dir });
  const instances = [...traefikInstances(name, compose), ...composes.flatMap((c) => traefikInstances(c.name, c.compose))];
  let port = o.port;
  if (port === undefined) {
    const svc = compose.services[o.service];
    const ports = svc ? [...containerPorts(compose, svc)] : [];
    if (ports.length !== 1) throw new UserError(`${o.service}: say which port the app listens on (${ports.length ? `it has ${ports.join(', ')}` : 'its compose service declares none'})`);
    port = ports[0]!;
  }
  const rel = path.basename(file);
  const plan = planProxyAdd(compose.yaml.text, rel, { project: name, service: o.service, host: o.host, port, tls: o.tls, entrypoint: o.entrypoint, resolver: o.resolver, network: o.network }, instances);
  const diff = plan.after === plan.before ? '' : createTwoFilesPatch(`a/${rel}`, `b/${rel}`, plan.before, plan.after, '', '', { context: 3 }).replace(/^=+\n/m, '');
  return { file, rel, name, dir: o.dir, plan, diff, port, composes };
}

/** Writes the planned file in place (same mode; a temporary file renamed over it). */
export function writeProxyAdd(p: PreparedProxyAdd): void {
  const mode = fs.statSync(p.file).mode & 0o7777;
  const tmp = path.join(path.dirname(p.file), `.${p.rel}.berth-${process.pid}`);
  fs.writeFileSync(tmp, p.plan.after, { mode });
  fs.renameSync(tmp, p.file);
}

/** The doctor's Traefik findings on the file as written. */
export async function checkProxyAdd(p: PreparedProxyAdd): Promise<Finding[]> {
  const after = ComposeFile.load(p.file, {});
  const ctx = {
    name: p.name,
    dir: p.dir,
    compose: after,
    display: p.rel,
    where: (segs: PathSeg[], which?: 'value' | 'key') => ({ file: p.rel, ...after.yaml.locate(segs, which) }),
    others: p.composes,
  };
  const out: Finding[] = [];
  for (const rule of traefikRules) out.push(...(await rule.check(ctx)));
  return out;
}

/** One line saying what the service answers to now. */
export function proxyAddDone(p: PreparedProxyAdd, service: string, host: string, tls: boolean): string {
  return `${service} answers at ${tls ? 'https' : 'http'}://${host} (router ${p.plan.router}, entrypoint ${p.plan.entrypoint}${p.plan.resolver ? `, cert resolver ${p.plan.resolver}` : ''}, network ${p.plan.network}, port ${p.port})`;
}

export async function proxyAddCommand(o: ProxyAddCommand): Promise<number> {
  const out = o.out ?? process.stdout;
  const say = (s: string) => out.write(`${s}\n`);
  const project = resolveProject(o.project, o.path);
  const p = prepareProxyAdd({ dir: project.dir, service: o.service, host: o.host, port: o.port === undefined ? undefined : Number(o.port), tls: !!o.tls, entrypoint: o.entrypoint, resolver: o.resolver, network: o.network, others: project.all.map((x) => ({ name: x.name, path: x.path })) });
  for (const n of p.plan.notes) say(`note: ${n}`);
  if (!p.diff) {
    say(`${p.rel}: ${o.service} is already routed that way; nothing to change`);
    return 0;
  }
  out.write(p.diff);
  if (o.dryRun) {
    say('dry run: nothing was written');
    return 0;
  }
  if (!o.yes) {
    if (!o.confirm) throw new UserError('not on a terminal: pass --yes to write the change, or --dry-run to see it');
    if (!(await o.confirm(`Write these changes to ${p.file}? [y/N] `))) {
      say('nothing was written');
      return 1;
    }
  }
  writeProxyAdd(p);
  say(`wrote ${p.file}: ${proxyAddDone(p, o.service, o.host, !!o.tls)}`);
  const findings = await checkProxyAdd(p);
  for (const f of findings) say(`  ${f.severity} ${formatWhere(f)} ${f.message} [${f.id}]`);
  say(findings.length ? `berth doctor: ${findings.length} Traefik finding(s) above` : 'berth doctor: the Traefik checks pass');
  return 0;
}
