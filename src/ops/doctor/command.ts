// `berth doctor [project] [--json] [--path DIR]`: prints the findings, grouped, and
// returns the exit status (1 when any finding is an error).
import { resolveProject } from '../compose/project.js';
import { formatReport, reportJson } from './format.js';
import { runDoctor } from './run.js';
import type { Finding } from './types.js';

export interface DoctorCommandOptions {
  project?: string;
  path?: string;
  json?: boolean;
  /** SARIF 2.1.0 for editors and CI */
  sarif?: boolean;
  /** false skips the live container checks (no engine needed). */
  containers?: boolean;
  /** Engine address from --host. */
  host?: string;
  out?: NodeJS.WritableStream & { isTTY?: boolean };
}

export async function doctorCommand(o: DoctorCommandOptions): Promise<number> {
  const out = o.out ?? process.stdout;
  const project = resolveProject(o.project, o.path);
  const extra: Finding[] = [];
  let docker = null;
  let local = false;
  if (o.containers !== false) {
    try {
      const { resolveEngine } = await import('../../engine/connection.js');
      const { loadUserConfig } = await import('../../config/userConfig.js');
      const engine = await resolveEngine({ host: o.host, configHost: loadUserConfig().engine.host });
      docker = engine.docker;
      local = engine.local;
    } catch (e) {
      extra.push({
        id: 'container/engine',
        severity: 'warning',
        message: `${(e as Error).message}; container checks skipped`,
        fix: 'Start the engine or point DOCKER_HOST / --host at it; --no-containers skips these checks.',
      });
    }
  }
  const report = await runDoctor({
    dir: project.dir,
    name: project.name,
    others: project.all.map((p) => ({ name: p.name, path: p.path })),
    env: process.env,
    docker,
    local,
    containers: project.containers,
  });
  report.findings.push(...extra);
  const color = !o.json && out.isTTY === true && !process.env.NO_COLOR;
  if (o.sarif) {
    const { reportSarif } = await import('./sarif.js');
    const { allRules } = await import('./index.js');
    out.write(reportSarif(report, allRules()));
  } else out.write(o.json ? reportJson(report) : formatReport(report, { color }));
  return report.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
