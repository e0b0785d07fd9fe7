// Diagnostics go to a log file under $XDG_STATE_HOME/berth/, never to the terminal.
import fs from 'node:fs';
import path from 'node:path';
import { stateDir } from './config/paths.js';
import { makeDirs } from './lib/makeDirs.js';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

let fd: number | null = null;
let file = '';

export function logFile(): string {
  return file || path.join(stateDir(), 'berth.log');
}

function write(level: string, msg: string): void {
  if (fd === null) return;
  try {
    fs.writeSync(fd, `${new Date().toISOString()} ${level} ${msg}\n`);
  } catch {
    // A full disk must not take the UI down.
  }
}

/** Opens the log file (append). Until called, logging is a no-op. */
export function openLog(target = logFile()): string {
  file = target;
  makeDirs(path.dirname(target));
  fd = fs.openSync(target, 'a', 0o600);
  return target;
}

export const log: Logger = {
  info: (m) => write('INFO', m),
  warn: (m) => write('WARN', m),
  error: (m) => write('ERROR', m),
};
