// `berth prune` for the command line: preview, confirmation, removal, report.
import readline from 'node:readline/promises';
import { UserError } from '../../config/errors.js';
import { loadUserConfig } from '../../config/userConfig.js';
import { resolveEngine } from '../../engine/connection.js';
import { planBackup, runBackup, sourceKey } from '../backup/backup.js';
import { backupDir } from '../backup/paths.js';
import { latestBackup, listArchives } from '../backup/retention.js';
import { decimalBytes } from '../diskUsage.js';
import { executePrune, planPrune, PRUNE_KINDS, snapshotEngine, type PruneKind, type PrunePlan } from './plan.js';

export interface PruneCommandOptions {
  what: string[];
  dryRun?: boolean;
  yes?: boolean;
  backupVolumes?: boolean;
  allImages?: boolean;
  volume?: string[];
  filter?: string[];
  json?: boolean;
  host?: string;
  /** for tests: answers the y/N question */
  confirm?: () => Promise<boolean>;
  out?: NodeJS.WritableStream;
  err?: NodeJS.WritableStream;
  isTTY?: boolean;
}

const DEFAULT_KINDS: PruneKind[] = ['containers', 'images', 'networks', 'build-cache'];

export function parseKinds(what: readonly string[], explicitVolumes: boolean): PruneKind[] {
  const kinds = new Set<PruneKind>();
  for (const w of what) {
    if (w === 'all') DEFAULT_KINDS.forEach((k) => kinds.add(k));
    else if ((PRUNE_KINDS as readonly string[]).includes(w)) kinds.add(w as PruneKind);
    else if (w === 'cache' || w === 'builder') kinds.add('build-cache');
    else throw new UserError(`prune: unknown kind "${w}" (containers, images, networks, build-cache, volumes or all)`);
  }
  if (!what.length) DEFAULT_KINDS.forEach((k) => kinds.add(k));
  if (explicitVolumes) kinds.add('volumes');
  return PRUNE_KINDS.filter((k) => kinds.has(k));
}

export function parseFilters(filters: readonly string[] = []): string[] {
  return filters.map((f) => {
    const m = /^label=(.+)$/.exec(f);
    if (!m) throw new UserError(`prune: unsupported filter "${f}" (only label=KEY or label=KEY=VALUE)`);
    return m[1]!;
  });
}

export function formatPlan(plan: PrunePlan): string[] {
  const lines: string[] = [];
  for (const k of plan.kinds) {
    const items = plan.items.filter((i) => i.kind === k);
    lines.push(`${k}: ${items.length ? `${items.length} to remove` : 'nothing to remove'}`);
    for (const i of items) lines.push(`  ${i.name}  ${decimalBytes(i.size)}  (${i.detail})`);
    for (const kept of plan.kept.filter((x) => x.kind === k)) lines.push(`  keep ${kept.name}: ${kept.reason}`);
  }
  lines.push(`total: ${plan.items.length} object(s), ${decimalBytes(plan.reclaimable)} reclaimed`);
  return lines;
}

async function askYesNo(question: string): Promise<boolean> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(question);
    return /^(y|yes)$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

export async function runPruneCommand(o: PruneCommandOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const err = o.err ?? process.stderr;
  const say = (s: string) => out.write(s + '\n');
  const kinds = parseKinds(o.what, !!o.volume?.length);
  const labels = parseFilters(o.filter);
  const config = loadUserConfig();
  const engine = await resolveEngine({ host: o.host, configHost: config.engine.host });
  const dest = backupDir(config);
  const archives = listArchives(dest);
  const plan = planPrune(await snapshotEngine(engine.docker), {
    kinds,
    allImages: o.allImages,
    volumes: o.volume,
    labels,
    projects: config.projects,
    protectVolumes: config.backup.protect_volumes,
    lastBackup: (v) => latestBackup(archives, sourceKey({ kind: 'volume', name: v })),
    protectDays: config.backup.protect_days,
    now: new Date(),
  });
  if (o.json && o.dryRun) {
    say(JSON.stringify(plan, null, 2));
    return 0;
  }
  for (const l of formatPlan(plan)) say(l);
  if (o.dryRun) {
    say('dry run: nothing was removed');
    return 0;
  }
  if (!plan.items.length) return 0;
  if (!o.yes) {
    const tty = o.isTTY ?? (process.stdin.isTTY === true);
    if (!o.confirm && !tty) throw new UserError('prune: not asking on a non-interactive input; run again with --yes to remove the objects listed above');
    const ok = await (o.confirm ?? (() => askYesNo(`remove these ${plan.items.length} object(s)? [y/N] `)))();
    if (!ok) {
      say('nothing removed');
      return 1;
    }
  }
  const backupVolume = o.backupVolumes
    ? async (item: { name: string }) => {
        const bplan = await planBackup(engine.docker, `volume:${item.name}`, { consistency: 'live' });
        const [r] = await runBackup(engine.docker, bplan, { dest, level: config.backup.level, engine: { address: engine.address, version: engine.version } });
        say(`backed up ${item.name}: ${r!.file}`);
      }
    : undefined;
  const res = await executePrune(engine.docker, plan, {
    beforeVolume: backupVolume,
    onProgress: (p) => (p.done ? say(`removed ${p.item.kind.replace(/s$/, '')} ${p.item.name}`) : err.write(`berth: could not remove ${p.item.kind} ${p.item.name}: ${p.error}\n`)),
  });
  if (o.json) say(JSON.stringify(res, null, 2));
  say(`removed ${res.removed.length} object(s), ${decimalBytes(res.reclaimed)} reclaimed${res.failed.length ? `; ${res.failed.length} failed` : ''}`);
  return res.failed.length ? 1 : 0;
}
