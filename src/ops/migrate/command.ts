// `berth migrate <project|volume> --from HOST --to HOST [--dry-run] [--yes] [--stop|--live]`:
// the plan first, asks before anything moves (or --yes), then images, volumes and checks,
// with the copy's progress; --from may be left out when only one known host has it.
import { UserError } from '../../config/errors.js';
import { loadUserConfig } from '../../config/userConfig.js';
import { checkEngine, engineAt, type Engine } from '../../engine/connection.js';
import { resolveHost, type NamedHost } from '../../engine/hosts.js';
import { bytes as human } from '../../lib/format.js';
import { ProgressPrinter } from '../../lib/progress.js';
import { describeMigrate, planMigrate, runMigrate, type Consistency } from './migrate.js';

export interface MigrateCommand {
  target: string;
  from?: string;
  to: string;
  dryRun?: boolean;
  yes?: boolean;
  stop?: boolean;
  live?: boolean;
  out?: NodeJS.WritableStream;
  confirm?: (question: string) => Promise<boolean>;
  /** helper image on the source (tests) */
  helperImage?: string;
  labels?: Record<string, string>;
}

async function open(h: NamedHost): Promise<Engine> {
  const e = engineAt(h);
  await checkEngine(e);
  return e;
}

/** The host that has `target` when --from is left out: the only known one that does. */
async function findSource(target: string, hosts: NamedHost[], to: NamedHost): Promise<NamedHost> {
  const have: NamedHost[] = [];
  for (const h of hosts) {
    if (h.address === to.address) continue;
    try {
      const e = await open(h);
      const name = target.replace(/^(volume|project):/, '');
      const vol = await e.docker.getVolume(name).inspect().then(() => true, () => false);
      const project = (await e.docker.listContainers({ all: true, filters: { label: [`com.docker.compose.project=${name}`] } })).length > 0;
      if (vol || project) have.push(h);
    } catch {
      // unreachable: not a candidate
    }
  }
  if (have.length === 1) return have[0]!;
  if (!have.length) throw new UserError(`no known host other than ${to.name} has ${target}; say where it is with --from HOST`);
  throw new UserError(`${target} is on ${have.map((h) => h.name).join(' and ')}; say which with --from HOST`);
}

export async function migrateCommand(o: MigrateCommand): Promise<number> {
  const out = o.out ?? process.stdout;
  const say = (s: string) => out.write(`${s}\n`);
  if (o.stop && o.live) throw new UserError('--stop and --live exclude each other');
  const config = loadUserConfig();
  const to = resolveHost(o.to, config.hosts);
  if (to.readOnly) throw new UserError(`host ${to.name} is read_only in the config: berth writes nothing there`);
  // the [[hosts]] and the current engine (DOCKER_HOST), each address once (its name when it has one)
  const candidates: NamedHost[] = [];
  for (const h of [...config.hosts.map((x) => resolveHost(x.name, config.hosts)), ...(process.env.DOCKER_HOST ? [resolveHost(process.env.DOCKER_HOST, config.hosts)] : [])]) {
    if (!candidates.some((c) => c.address === h.address)) candidates.push(h);
  }
  const from = o.from ? resolveHost(o.from, config.hosts) : await findSource(o.target, candidates, to);
  if (from.address === to.address) throw new UserError(`--from and --to are the same engine (${from.address})`);
  const [src, dst] = [await open(from), await open(to)];
  const consistency: Consistency = o.stop ? 'stop' : o.live ? 'live' : 'auto';
  const plan = await planMigrate(src.docker, dst.docker, o.target, { projects: config.projects, consistency });
  for (const l of describeMigrate(plan, `${from.name} (${from.address})`, `${to.name} (${to.address})`)) say(l);
  if (o.dryRun) {
    say('dry run: nothing was moved, stopped or created');
    return 0;
  }
  if (!o.yes) {
    if (!o.confirm) throw new UserError('not on a terminal: pass --yes to migrate, or --dry-run to see the plan');
    if (!(await o.confirm(`Migrate ${plan.target} to ${to.name}? [y/N] `))) {
      say('nothing was moved');
      return 1;
    }
  }
  const bar = new ProgressPrinter(out as NodeJS.WritableStream & { isTTY?: boolean; columns?: number });
  let result;
  try {
    result = await runMigrate(src.docker, dst.docker, plan, {
      helperImage: o.helperImage,
      labels: o.labels,
      onProgress: (p) => {
        if (p.phase === 'copy' && p.bytes !== undefined && !p.message.startsWith('copied')) return bar.update(p.message, { bytes: p.bytes });
        bar.done();
        if (p.phase !== 'done') say(p.message);
      },
    });
  } finally {
    bar.done();
  }
  for (const v of result.volumes) say(`${v.name}: ${v.files} files, ${human(v.bytes)}, ${v.entries} entries, identical on ${to.name}`);
  say(`migrated ${plan.kind} ${plan.target} to ${to.name}${result.images.length ? ` with ${result.images.join(', ')}` : ''}; the source is unchanged`);
  return 0;
}
