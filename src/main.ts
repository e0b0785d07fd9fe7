// Everything but the thin client: the server, and the commands (commander). The entry
// (cli.ts) loads this only when the command line is not the dashboard's.
export { runServer } from './sessions/run.js';
export { runProgram } from './program.js';
