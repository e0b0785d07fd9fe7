// Project names as docker compose writes them into its labels. Compose v2 keeps lower-case
// letters, digits, '_' and '-' (and no leading '_'/'-'); v1 kept only letters and digits.
// A project called "My.App" is labelled "myapp" by both; "my_app" is "my_app" by v2 and
// "myapp" by v1. Every question "is this container in project X" asks with both. Pure.

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_DIR_LABEL = 'com.docker.compose.project.working_dir';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** Compose v2's rule (also what berth calls a folder's project). */
export function normalizeProjectName(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[^a-z0-9]+/, '');
}

/** Compose v1's rule: lower case letters and digits only. */
export function normalizeProjectNameV1(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** The compose project label values that mean project `name`: as written, v2's and v1's. */
export function composeLabelValues(name: string): string[] {
  return [...new Set([name, normalizeProjectName(name), normalizeProjectNameV1(name)])].filter((v) => v !== '');
}
