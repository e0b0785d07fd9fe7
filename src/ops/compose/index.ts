// Compose files and compose commands for a project.
export * from './env.js';
export * from './file.js';
export * from './run.js';
