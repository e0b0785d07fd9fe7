// `berth ps`: one grouped snapshot of every project's containers, as a table or JSON.
import { loadUserConfig } from '../config/userConfig.js';
import { resolveEngine } from '../engine/connection.js';
import { fromInspect, humanDuration } from '../engine/containerInfo.js';
import { mapLimit } from '../engine/pool.js';
import { groupProjects } from '../project/group.js';
import { sampleOnce } from '../engine/stats/index.js';
import type { ContainerInfo, StatsSample } from '../engine/types.js';
import { bytes, fit, percent, rate } from '../lib/format.js';

export interface PsOptions {
  json: boolean;
  stats: boolean;
  host?: string;
  out?: NodeJS.WritableStream;
}

export interface PsContainer extends ContainerInfo {
  stats: StatsSample | null;
}

export interface PsSnapshot {
  engine: { address: string; version: string; apiVersion: string };
  projects: Array<{ name: string; source: string; path: string | null; running: number; total: number; containers: PsContainer[] }>;
}

export async function takePsSnapshot(opts: Pick<PsOptions, 'stats' | 'host'>): Promise<PsSnapshot> {
  const config = loadUserConfig();
  const engine = await resolveEngine({ host: opts.host, configHost: config.engine.host });
  const list = await engine.docker.listContainers({ all: true });
  const infos = (
    await mapLimit(list, 8, async (entry) => {
      try {
        return fromInspect(await engine.docker.getContainer(entry.Id).inspect());
      } catch {
        return null; // removed meanwhile
      }
    })
  ).filter((c): c is ContainerInfo => c !== null);
  const stats = opts.stats
    ? await sampleOnce({ docker: engine.docker, local: engine.local }, infos.filter((c) => c.state === 'running'))
    : new Map<string, StatsSample>();
  const projects = groupProjects(infos, config.projects).map((p) => ({
    name: p.name,
    source: p.source,
    path: p.path,
    running: p.running,
    total: p.total,
    containers: p.containers.map((c) => ({ ...c, stats: stats.get(c.id) ?? null })),
  }));
  return { engine: { address: engine.address, version: engine.version, apiVersion: engine.apiVersion }, projects };
}

export function formatPsTable(snap: PsSnapshot, now = Date.now()): string {
  const lines: string[] = [];
  const header = [fit('NAME', 28), fit('STATE', 10), fit('UP', 5, 'right'), fit('CPU', 7, 'right'), fit('MEM', 13, 'right'), fit('NET ↓/↑', 13, 'right'), 'IMAGE'].join(' ');
  for (const p of snap.projects) {
    lines.push(`${p.name} (${p.running}/${p.total} running)${p.path ? `  ${p.path}` : ''}`);
    if (!p.containers.length) lines.push('  (no containers)');
    else lines.push(`  ${header}`);
    for (const c of p.containers) {
      const s = c.stats;
      const state = c.state === 'exited' ? `exit ${c.exitCode ?? 0}${c.oomKilled ? ' OOM' : ''}` : c.health && c.state === 'running' ? c.health : c.state;
      lines.push(
        '  ' +
          [
            fit(c.name, 28),
            fit(state, 10),
            fit(c.startedAt ? humanDuration(now - c.startedAt) : '-', 5, 'right'),
            fit(s ? percent(s.cpuPct) : '-', 7, 'right'),
            fit(s ? `${bytes(s.memUsed)}/${bytes(s.memLimit)}` : '-', 13, 'right'),
            fit(s ? `${rate(s.rxRate)}/${rate(s.txRate)}` : '-', 13, 'right'),
            c.image,
          ].join(' ').trimEnd(),
      );
    }
  }
  if (!snap.projects.length) lines.push('no containers');
  return lines.join('\n') + '\n';
}

export async function runPs(opts: PsOptions): Promise<number> {
  const out = opts.out ?? process.stdout;
  const snap = await takePsSnapshot(opts);
  out.write(opts.json ? JSON.stringify(snap, null, 2) + '\n' : formatPsTable(snap));
  return 0;
}
