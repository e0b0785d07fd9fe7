// Logical database dumps through `docker exec`, taken beside the volume copy.
import fs from 'node:fs';
import { PassThrough } from 'node:stream';
import type Dockerode from 'dockerode';
import { spool } from './archive.js';
import { databaseKind, type DatabaseKind } from './engine.js';

export interface DumpCommand {
  engine: DatabaseKind;
  /** argv run inside the container; credentials come from the container's own env */
  cmd: string[];
  ext: string;
  /** what it does, in one line for plans and dialogs */
  summary: string;
}

/**
 * The dump command for a database image, or null (unknown images).
 * Credentials are read inside the container from the variables the official images use,
 * so they never pass through berth's arguments or output.
 */
export function dumpCommand(image: string): DumpCommand | null {
  const kind = databaseKind(image);
  switch (kind) {
    case 'postgres':
      return { engine: kind, cmd: ['sh', '-c', 'exec pg_dumpall --clean --if-exists -U "${POSTGRES_USER:-postgres}"'], ext: 'sql', summary: 'pg_dumpall --clean --if-exists' };
    case 'mysql':
    case 'mariadb':
      return {
        engine: kind,
        cmd: [
          'sh',
          '-c',
          'if command -v mariadb-dump >/dev/null 2>&1; then d=mariadb-dump; else d=mysqldump; fi; ' +
            'p="${MARIADB_ROOT_PASSWORD:-${MYSQL_ROOT_PASSWORD:-}}"; ' +
            'exec "$d" --all-databases --single-transaction --routines --events -uroot ${p:+"-p$p"}',
        ],
        ext: 'sql',
        summary: 'mariadb-dump (or mysqldump) --all-databases --single-transaction',
      };
    case 'mongo':
      return {
        engine: kind,
        cmd: [
          'sh',
          '-c',
          'exec mongodump --archive ${MONGO_INITDB_ROOT_USERNAME:+--username "$MONGO_INITDB_ROOT_USERNAME" --password "$MONGO_INITDB_ROOT_PASSWORD" --authenticationDatabase admin}',
        ],
        ext: 'archive',
        summary: 'mongodump --archive',
      };
    case 'redis':
      return { engine: kind, cmd: ['sh', '-c', REDIS_BGSAVE_COPY], ext: 'rdb', summary: 'BGSAVE, then a copy of its RDB file' };
    default:
      return null;
  }
}

/**
 * Redis: a fresh snapshot by BGSAVE (the server forks, its data as of that moment go to a new
 * RDB file, renamed into place when complete; writes continue meanwhile), waited for, then
 * that file copied out. A BGSAVE already running started before this dump did, so it is
 * waited out and another one asked for. The password, when the container has one, goes to
 * redis-cli through REDISCLI_AUTH (never an argument). The file a restore needs is the RDB
 * itself: put it in an empty data folder as dump.rdb and start redis there.
 */
const REDIS_BGSAVE_COPY = [
  'p="${REDIS_PASSWORD:-}"; [ -n "$p" ] && export REDISCLI_AUTH="$p"',
  'n=0',
  'until r=$(redis-cli BGSAVE 2>&1) && case "$r" in *started*) true;; *) false;; esac; do',
  '  n=$((n+1)); [ $n -gt 3000 ] && { echo "BGSAVE: $r" >&2; exit 1; }; sleep 0.2',
  'done',
  "while redis-cli INFO persistence | grep -q '^rdb_bgsave_in_progress:1'; do sleep 0.1; done",
  "redis-cli INFO persistence | grep -q '^rdb_last_bgsave_status:ok' || { echo 'BGSAVE failed: see the container log' >&2; exit 1; }",
  'd=$(redis-cli CONFIG GET dir | sed -n 2p); f=$(redis-cli CONFIG GET dbfilename | sed -n 2p)',
  'exec cat "${d:-/data}/${f:-dump.rdb}"',
].join('\n');

export class DumpError extends Error {}

/**
 * Runs `cmd` in a running container and streams its stdout into `file` (0600). Fails
 * (and removes the file) on a non-zero exit, with the last line of stderr.
 */
export async function execToFile(docker: Dockerode, containerId: string, cmd: string[], file: string): Promise<{ size: number; sha256: string }> {
  const exec = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
  const stream = (await exec.start({ hijack: true, stdin: false })) as NodeJS.ReadableStream;
  const stdout = new PassThrough();
  const stderrChunks: Buffer[] = [];
  const stderr = new PassThrough();
  stderr.on('data', (c: Buffer) => {
    if (stderrChunks.reduce((n, b) => n + b.length, 0) < 64 << 10) stderrChunks.push(c);
  });
  docker.modem.demuxStream(stream, stdout, stderr);
  stream.on('end', () => stdout.end());
  stream.on('close', () => stdout.end());
  stream.on('error', (e: Error) => stdout.destroy(e));
  let result: { size: number; sha256: string };
  try {
    result = await spool(stdout, file);
    const info = await exec.inspect();
    let code = info.ExitCode;
    for (let i = 0; code === null && i < 50; i++) {
      await new Promise((r) => setTimeout(r, 100));
      code = (await exec.inspect()).ExitCode;
    }
    if (code !== 0) {
      const err = Buffer.concat(stderrChunks).toString('utf8').trim().split('\n').pop() ?? '';
      throw new DumpError(`the dump command exited with ${code}${err ? `: ${err}` : ''}`);
    }
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
  return result;
}
