// A private tmux server for the bench (its own socket and config), so that other tmux
// sessions on the machine are neither seen nor disturbed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { waitGone } from './proc.mjs';

export class Tmux {
  /**
   * @param {string} dir folder for the socket and config
   * @param {NodeJS.ProcessEnv} env environment of the server, and so of every program run in it
   */
  constructor(dir, env) {
    this.socket = path.join(dir, 'tmux.sock');
    this.config = path.join(dir, 'tmux.conf');
    this.env = env;
    // no status line (the pane gets the whole window), keep dead panes for diagnosis,
    // no scrollback worth speaking of
    fs.writeFileSync(this.config, 'set -g status off\nset -g remain-on-exit on\nset -g history-limit 50\n');
  }

  run(args) {
    return new Promise((resolve, reject) => {
      execFile('tmux', ['-S', this.socket, '-f', this.config, ...args], { env: this.env, encoding: 'utf8' }, (err, stdout, stderr) => {
        if (err) reject(new Error(`tmux ${args[0]}: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      });
    });
  }

  /** A detached session of cols x rows running `command` (a shell command line). */
  async start(name, command, cols, rows) {
    await this.run(['new-session', '-d', '-s', name, '-x', String(cols), '-y', String(rows), command]);
  }

  async panePid(name) {
    return Number((await this.run(['list-panes', '-t', name, '-F', '#{pane_pid}'])).trim());
  }

  async paneDead(name) {
    return (await this.run(['list-panes', '-t', name, '-F', '#{pane_dead}'])).trim() === '1';
  }

  /** Everything the program writes to its terminal from now on is appended to `file`. */
  async pipeTo(name, file) {
    fs.writeFileSync(file, '');
    await this.run(['pipe-pane', '-t', name, '-o', `cat >> '${file}'`]);
  }

  capture(name) {
    return this.run(['capture-pane', '-p', '-t', name]);
  }

  async kill(name) {
    try {
      await this.run(['kill-session', '-t', name]);
    } catch {
      // already gone
    }
  }

  async killServer() {
    try {
      await this.run(['kill-server']);
    } catch {
      // not running
    }
  }

  /** Ends a program started here: kill its session (SIGHUP), SIGKILL it if it lingers. */
  async stop(session, pid) {
    await this.kill(session);
    if (pid && !(await waitGone(pid, 5000))) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
      await waitGone(pid, 2000);
    }
  }
}
