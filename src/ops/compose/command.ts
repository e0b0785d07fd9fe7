// `berth compose <project> <up|down|build|pull|restart|logs> [services…]`.
import { UserError } from '../../config/errors.js';
import { resolveProject } from './project.js';
import { COMPOSE_ACTIONS, composeCommandLine, runCompose, volumesAtRisk, type ComposeAction } from './run.js';

export interface ComposeCommandOptions {
  project: string;
  action: string;
  services?: string[];
  volumes?: boolean;
  yes?: boolean;
  build?: boolean;
  follow?: boolean;
  tail?: string;
  path?: string;
  host?: string;
  /** Print what would run (and, for down, which volumes would go), run nothing. */
  dryRun?: boolean;
  /** Asks a yes/no question (TTY only); absent means no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
}

export function parseAction(a: string): ComposeAction {
  if ((COMPOSE_ACTIONS as readonly string[]).includes(a)) return a as ComposeAction;
  throw new UserError(`unknown compose action "${a}" (choose one of ${COMPOSE_ACTIONS.join(', ')})`);
}

export async function composeCommand(o: ComposeCommandOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const action = parseAction(o.action);
  let tail: number | undefined;
  if (o.tail !== undefined) {
    tail = Number(o.tail);
    if (!Number.isInteger(tail) || tail < 0) throw new UserError(`--tail: expected a whole number, got "${o.tail}"`);
  }
  if (o.volumes && action !== 'down') throw new UserError('--volumes only applies to down');
  const project = resolveProject(o.project, o.path);
  const { resolveEngine } = await import('../../engine/connection.js');
  const { loadUserConfig } = await import('../../config/userConfig.js');
  const engine = await resolveEngine({ host: o.host, configHost: loadUserConfig().engine.host });
  const target = { dir: project.dir, host: engine.address };

  if (action === 'down') {
    const vols = await volumesAtRisk(target, engine.docker);
    const list = vols.map((v) => (v.kind === 'anonymous' ? `${v.name.slice(0, 12)} (anonymous)` : v.name)).join(', ');
    if (!o.volumes) {
      if (vols.length) err.write(`berth: keeping volumes ${list} (down --volumes would delete them)\n`);
    } else if (vols.length) {
      err.write(`berth: warning: down --volumes ${o.dryRun ? 'would delete' : 'deletes'} volumes ${list} and the data in them\n`);
      if (!o.yes && !o.dryRun) {
        if (!o.confirm) throw new UserError(`down --volumes would delete volumes ${list}; pass --yes to confirm`);
        if (!(await o.confirm('Delete these volumes? [y/N] '))) {
          err.write('berth: nothing done\n');
          return 1;
        }
      }
    }
  }

  const runOpts = { services: o.services, volumes: o.volumes, build: o.build, follow: o.follow, tail };
  if (o.dryRun) {
    out.write(`would run: DOCKER_HOST=${engine.address} ${await composeCommandLine(target, action, runOpts)}\n`);
    return 0;
  }
  const result = await runCompose(target, action, {
    ...runOpts,
    onLine: (l) => (l.stream === 'stdout' ? out : err).write(l.line + '\n'),
  });
  if (!result.ok) throw new UserError(result.error ?? `${result.command} failed`);
  return 0;
}
