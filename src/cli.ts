#!/usr/bin/env node
// berth's entry point. `berth` alone (the dashboard, the command run most) goes straight to
// the thin client: it connects to the server and lends it the terminal, loading neither the
// command parser nor anything that draws. The server a dashboard starts skips the parser
// too. Every other command line goes to commander.
//
// This file is built apart, as CommonJS (scripts/build.mjs): Node loads a CommonJS entry with
// less memory than an ES module one, and the client is the process that stays in the
// terminal. Everything else (main.ts) is loaded from here when needed.
import { dashboardArgs, prewarmServerArgs } from './client/args.js';
import { runDashboardClient } from './client/dashboard.js';

// React and Ink run their production builds: scripts/build.mjs fixes NODE_ENV at build time.
function fail(err: unknown): never {
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`berth: ${msg}\n`);
  process.exit(1);
}

const fast = dashboardArgs(process.argv.slice(2));
const server = prewarmServerArgs(process.argv.slice(2));
const main = () => import('./main.js');

if (server) {
  main().then((m) => m.runServer(server)).catch(fail);
} else if (fast) {
  runDashboardClient(fast).then((code) => process.exit(code), fail);
} else {
  main().then((m) => m.runProgram(process.argv)).catch(fail);
}
