// What the server needs only once it has panes: the workspace, its controller, the spawn
// planner, and through them the pty and headless terminal libraries. Loaded on the first
// spawn, attach or pane from the dashboard, so a server started for the dashboard draws its
// first frame without them (see bench/README.md, "Where a cold start goes").
// Import it through loadPaneLayer (src/sessions/loadPanes.ts), never statically.
export { userShell } from '../panes/plan.js';
export { rerunOnContainerRestart, type ContainerProbe } from '../panes/rerun.js';
export { Workspace } from '../panes/workspace.js';
export { openWorkspace } from '../workspace/runWorkspace.js';
export { NotTrustedError, paneEnv, prepareWorkspace } from '../workspace/spawn.js';

