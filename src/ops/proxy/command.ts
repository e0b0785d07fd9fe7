// `berth proxy add <project> <service> --host H --port P [--tls]`: plans the compose edit,
// shows it as a diff, asks first (or --yes; --dry-run only shows), writes the file in place
// (same mode, through a temporary file and a rename), then checks the result with the
// doctor's Traefik rules.
import fs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { UserError } from '../../config/errors.js';
import { ComposeFile, findComposeFile, type PathSeg } from '../compose/file.js';
import { resolveProject } from '../compose/project.js';
import { traefikRules } from '../doctor/rules/traefik.js';
import { formatWhere } from '../doctor/format.js';
import { planProxyAdd } from './add.js';
import { traefikInstances, type TraefikInstance } from './traefik.js';

export interface ProxyAddCommand {
  project: string;
  service: string;
  host: string;
  port: string;
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

/** Traefik containers of this project and of the other known ones. */
function knownInstances(name: string, compose: ComposeFile, others: Array<{ name: string; path?: string }>): { instances: TraefikInstance[]; composes: Array<{ name: string; compose: ComposeFile }> } {
  const composes: Array<{ name: string; compose: ComposeFile }> = [];
  for (const o of others) {
    if (!o.path || o.name === name) continue;
    const f = findComposeFile(o.path);
    if (!f) continue;
    try {
      const c = ComposeFile.load(f, {});
      if (c.valid) composes.push({ name: o.name, compose: c });
    } catch {
      // another project's unreadable file is that project's problem
    }
  }
  return { instances: [...traefikInstances(name, compose), ...composes.flatMap((c) => traefikInstances(c.name, c.compose))], composes };
}

export async function proxyAddCommand(o: ProxyAddCommand): Promise<number> {
  const out = o.out ?? process.stdout;
  const say = (s: string) => out.write(`${s}\n`);
  const project = resolveProject(o.project, o.path);
  const file = findComposeFile(project.dir);
  if (!file) throw new UserError(`no compose file in ${project.dir} (compose.yaml, docker-compose.yml …)`);
  const compose = ComposeFile.load(file, {});
  if (!compose.valid) throw new UserError(`${file}: fix it first (berth doctor ${o.project} says what is wrong)`);
  const name = compose.projectName();
  const { instances, composes } = knownInstances(name, compose, project.all.map((p) => ({ name: p.name, path: p.path })));
  const port = Number(o.port);
  const plan = planProxyAdd(compose.yaml.text, path.basename(file), { project: name, service: o.service, host: o.host, port, tls: !!o.tls, entrypoint: o.entrypoint, resolver: o.resolver, network: o.network }, instances);
  for (const n of plan.notes) say(`note: ${n}`);
  if (plan.after === plan.before) {
    say(`${path.basename(file)}: ${o.service} is already routed that way; nothing to change`);
    return 0;
  }
  const rel = path.basename(file);
  out.write(createTwoFilesPatch(`a/${rel}`, `b/${rel}`, plan.before, plan.after, '', '', { context: 3 }).replace(/^=+\n/m, ''));
  if (o.dryRun) {
    say('dry run: nothing was written');
    return 0;
  }
  if (!o.yes) {
    if (!o.confirm) throw new UserError('not on a terminal: pass --yes to write the change, or --dry-run to see it');
    if (!(await o.confirm(`Write these changes to ${file}? [y/N] `))) {
      say('nothing was written');
      return 1;
    }
  }
  const mode = fs.statSync(file).mode & 0o7777;
  const tmp = path.join(path.dirname(file), `.${rel}.berth-${process.pid}`);
  fs.writeFileSync(tmp, plan.after, { mode });
  fs.renameSync(tmp, file);
  say(`wrote ${file}: ${o.service} answers at ${o.tls ? 'https' : 'http'}://${o.host} (router ${plan.router}, entrypoint ${plan.entrypoint}${plan.resolver ? `, cert resolver ${plan.resolver}` : ''}, network ${plan.network}, port ${port})`);
  // the doctor's Traefik rules over the result
  const after = ComposeFile.load(file, {});
  const ctx = {
    name,
    dir: project.dir,
    compose: after,
    display: rel,
    where: (segs: PathSeg[], which?: 'value' | 'key') => ({ file: rel, ...after.yaml.locate(segs, which) }),
    others: composes,
  };
  let problems = 0;
  for (const rule of traefikRules) {
    for (const f of await rule.check(ctx)) {
      problems++;
      say(`  ${f.severity} ${formatWhere(f)} ${f.message} [${f.id}]`);
    }
  }
  say(problems ? `berth doctor: ${problems} Traefik finding(s) above` : 'berth doctor: the Traefik checks pass');
  return 0;
}
