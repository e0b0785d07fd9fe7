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

/** Every rule with its id, target and title, e.g. for a list in the Doctor tab. */
export function allRules(): { id: string; target: string; title: string }[] {
  return [...composeRules, ...projectRules, ...dockerfileRules, ...containerRules].map((r) => ({ id: r.id, target: r.target, title: r.title }));
}
