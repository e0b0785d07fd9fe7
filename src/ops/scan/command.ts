// `berth scan [image|project] [--json] [--severity LEVEL]`: the images of a project's
// containers (or one image, or every running container's), scanned by Trivy or Grype, each
// finding with severity, package, installed and fixed version, title and link, most severe
// first; .trivyignore honoured. Exit 1 when a finding is at or above --severity (for CI and
// pre-commit hooks), 2 when a scan could not be made.
import path from 'node:path';
import type Dockerode from 'dockerode';
import { UserError } from '../../config/errors.js';
import { loadUserConfig } from '../../config/userConfig.js';
import type { ProjectConfig } from '../../config/schema.js';
import { containerName, projectContainers } from '../../project/members.js';
import { ignoreRules } from './ignore.js';
import { atLeast, parseSeverity, type SeverityCounts, type Vuln, type VulnSeverity } from './report.js';
import { findScanner, NO_SCANNER } from './scanner.js';
import { scanOne } from './scanOne.js';

export interface ScanCommand {
  target?: string;
  json?: boolean;
  severity?: string;
  host?: string;
  /** where to look for a .trivyignore besides the project folder (default: the current folder) */
  cwd?: string;
  out?: NodeJS.WritableStream;
}

export interface ImageScan {
  image: string;
  id: string;
  containers: string[];
  counts?: SeverityCounts;
  vulns?: Vuln[];
  ignored?: number;
  error?: string;
  cached?: boolean;
}

interface Target {
  image: string;
  id: string;
  containers: string[];
}

/** The images to scan: the target's (a project's containers, or one image), else every running container's. */
async function targets(docker: Dockerode, target: string | undefined, projects: readonly ProjectConfig[]): Promise<{ images: Target[]; projectDir: string | null }> {
  const byImage = new Map<string, Target>();
  const add = (image: string, id: string, container?: Dockerode.ContainerInfo) => {
    const t = byImage.get(id) ?? { image, id, containers: [] };
    if (container) t.containers.push(containerName(container));
    byImage.set(id, t);
  };
  if (!target) {
    for (const c of await docker.listContainers()) add(c.Image, c.ImageID, c);
    return { images: [...byImage.values()], projectDir: null };
  }
  const project = await projectContainers(docker, target, projects);
  if (project.containers.length) {
    for (const c of project.containers) add(c.Image, c.ImageID, c);
    return { images: [...byImage.values()], projectDir: project.dir ? path.resolve(project.dir) : null };
  }
  let id: string;
  try {
    id = (await docker.getImage(target).inspect()).Id;
  } catch {
    throw new UserError(`${target}: no project with containers and no image of that name on this engine`);
  }
  add(target, id);
  for (const c of await docker.listContainers({ all: true })) if (c.ImageID === id) add(target, id, c);
  return { images: [...byImage.values()], projectDir: null };
}

function countsText(c: SeverityCounts): string {
  const parts = (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'] as const).filter((s) => s !== 'UNKNOWN' || c[s]).map((s) => `${c[s]} ${s.toLowerCase()}`);
  return parts.join(', ');
}

export function vulnLine(v: Vuln): string {
  const fix = v.fixed ? ` → ${v.fixed}` : ' (no fix yet)';
  return `${v.severity.padEnd(8)} ${v.id.padEnd(16)} ${v.pkg} ${v.installed}${fix}  ${v.title}${v.url ? `  ${v.url}` : ''}`;
}

export async function scanCommand(o: ScanCommand): Promise<number> {
  const out = o.out ?? process.stdout;
  const say = (s: string) => out.write(`${s}\n`);
  const threshold: VulnSeverity | null = o.severity ? parseSeverity(o.severity) : null;
  const scanner = await findScanner();
  if (!scanner) throw new UserError(NO_SCANNER);
  const { resolveEngine } = await import('../../engine/connection.js');
  const config = loadUserConfig();
  const engine = await resolveEngine({ host: o.host, configHost: config.engine.host });
  const { images, projectDir } = await targets(engine.docker, o.target, config.projects);
  const { rules, file } = ignoreRules([projectDir, o.cwd ?? process.cwd()]);
  const results: ImageScan[] = [];
  let noDb: string | null = null;
  for (const t of images) {
    // without a database every image fails the same way: said once, the rest not tried
    if (noDb) {
      results.push({ image: t.image, id: t.id, containers: t.containers, error: 'not scanned: no vulnerability database' });
      continue;
    }
    const { noDb: missing, ...r } = await scanOne(scanner, t, rules, { dockerHost: engine.address });
    if (missing) noDb = r.error ?? 'no vulnerability database';
    results.push({ ...r, containers: t.containers });
  }
  const failing = threshold ? results.some((r) => r.vulns?.some((v) => atLeast(v.severity, threshold))) : false;
  const errors = results.filter((r) => r.error);
  if (o.json) {
    out.write(`${JSON.stringify({ scanner: { kind: scanner.kind, version: scanner.version, db: scanner.db }, ignoreFile: file, threshold, failed: failing, images: results }, null, 2)}\n`);
  } else {
    say(`berth scan: ${scanner.kind} ${scanner.version}${scanner.db ? ` (database ${scanner.db})` : ''}${file ? `, ignoring what ${file} lists` : ''}`);
    if (!images.length) say('no running containers: nothing to scan (name a project or an image)');
    if (noDb) {
      say(`${noDb}; nothing was scanned`);
      return 2;
    }
    for (const r of results) {
      const who = r.containers.length ? ` used by ${r.containers.join(', ')}` : '';
      const head = `${r.image} (${r.id.replace(/^sha256:/, '').slice(0, 12)})${who}`;
      if (r.error) {
        say(`${head}: ${r.error}`);
        continue;
      }
      say(`${head}: ${r.vulns!.length ? countsText(r.counts!) : 'no known vulnerabilities'}${r.ignored ? ` (${r.ignored} ignored)` : ''}`);
      for (const v of r.vulns!) say(`  ${vulnLine(v)}`);
    }
    if (threshold) say(failing ? `findings at or above ${threshold}: exit 1` : `nothing at or above ${threshold}`);
  }
  if (errors.length) return 2;
  return failing ? 1 : 0;
}
