// The doctor: checks a project's compose file, Dockerfiles and containers.
export * from './types.js';
export type { ComposeCtx, ContainerCtx, DockerfileCtx, ProjectCtx, ExecResult } from './context.js';
export { parseDockerfile, type Instruction, type ParsedDockerfile } from './dockerfile.js';
export { composeRules } from './rules/compose.js';
export { dockerfileRules } from './rules/dockerfile.js';
export { projectRules } from './rules/project.js';
export { containerRules } from './rules/container.js';
export { runDoctor, staticChecks, checkContainer, execIn, projectContainers, type DoctorOptions, type DoctorReport } from './run.js';
export { formatReport, reportJson, groupFindings, formatWhere, type FindingGroup } from './format.js';

import { composeRules } from './rules/compose.js';
import { containerRules } from './rules/container.js';
import { dockerfileRules } from './rules/dockerfile.js';
import { projectRules } from './rules/project.js';
import type { Target } from './types.js';

/** Findings that come from outside tools or the project's hadolint config rather than from a rule of berth's. */
const OUTSIDE_CHECKS: { id: string; target: Target; title: string }[] = [
  { id: 'dockerfile/shellcheck', target: 'dockerfile', title: "ShellCheck's findings in RUN commands, at their Dockerfile line (when shellcheck is installed)" },
  { id: 'dockerfile/hadolint', target: 'dockerfile', title: "hadolint's own findings that berth does not report itself (when hadolint is installed)" },
  { id: 'dockerfile/hadolint-config', target: 'dockerfile', title: 'The .hadolint.yaml berth reads (ignored, override) can be read' },
];

/** Every rule with its id, target and title, e.g. for a list in the Doctor tab. */
export function allRules(): { id: string; target: string; title: string }[] {
  return [...composeRules, ...projectRules, ...dockerfileRules, ...containerRules].map((r) => ({ id: r.id, target: r.target, title: r.title })).concat(OUTSIDE_CHECKS);
}
