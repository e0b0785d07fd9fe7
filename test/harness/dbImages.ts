// Real database images for engine tests, built FROM scratch out of Debian's own packages
// (postgresql-15, mariadb-server, redis-server): the server and client binaries, every
// library `ldd` names for them, the data files they read at start, Debian's static busybox
// for a shell, and a small entry script that initialises an empty data folder the way the
// official images do. No RUN step (the test engine has no network); each server runs as its
// own user, since PostgreSQL refuses root.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestEngine } from './engine.js';
import { BUSYBOX_PATH, FIXTURE_IMAGE, TEST_LABEL } from './daemon.js';

export type DatabaseImage = 'postgres' | 'mariadb' | 'mysql' | 'redis';

interface ImageSpec {
  /** the image's name: its last path segment is what berth recognises (postgres, mariadb, redis) */
  tag: string;
  /** the Debian package it comes from (for the one-line error when it is missing) */
  pkg: string;
  /** executables: copied with every library ldd names */
  bins: string[];
  /** data folders and files copied as they are (symlinks followed) */
  data: string[];
  user: { name: string; uid: number; home: string };
  /** folders owned by the user (the data folder and the socket folder) */
  owned: string[];
  volume: string;
  env: Record<string, string>;
  entry: string;
  /** as the official image says (postgres: SIGINT, a fast shutdown that does not wait for clients) */
  stopSignal?: string;
}

const PG = '/usr/lib/postgresql/15';

const MARIADB: ImageSpec = {
  tag: 'berth-test/mariadb:10',
  pkg: 'mariadb-server',
  bins: ['/usr/sbin/mariadbd', '/usr/bin/mariadb', '/usr/bin/mariadb-dump', '/usr/bin/mariadb-admin', '/usr/bin/my_print_defaults', '/usr/bin/resolveip'],
  data: ['/usr/bin/mariadb-install-db', '/usr/share/mysql', '/usr/lib/mysql/plugin'],
  user: { name: 'mysql', uid: 999, home: '/var/lib/mysql' },
  owned: ['/var/lib/mysql', '/run/mysqld'],
  volume: '/var/lib/mysql',
  env: { PATH: '/usr/sbin:/usr/bin:/bin:/sbin' },
  entry: [
    'set -e',
    'if [ ! -d /var/lib/mysql/mysql ]; then',
    '  mariadb-install-db --datadir=/var/lib/mysql --user=mysql --skip-test-db --skip-name-resolve --auth-root-authentication-method=normal > /tmp/install.log 2>&1 || { cat /tmp/install.log >&2; exit 1; }',
    'fi',
    'exec mariadbd --datadir=/var/lib/mysql --socket=/run/mysqld/mysqld.sock --skip-networking',
  ].join('\n'),
};

const SPECS: Record<DatabaseImage, ImageSpec> = {
  postgres: {
    tag: 'berth-test/postgres:15',
    pkg: 'postgresql-15',
    bins: ['initdb', 'postgres', 'pg_ctl', 'psql', 'pg_dump', 'pg_dumpall', 'pg_isready'].map((b) => `${PG}/bin/${b}`),
    data: [`${PG}/lib`, '/usr/share/postgresql/15', '/usr/share/zoneinfo/UTC', '/usr/share/zoneinfo/Etc/UTC'],
    user: { name: 'postgres', uid: 70, home: '/var/lib/postgresql' },
    owned: ['/var/lib/postgresql/data', '/var/run/postgresql'],
    volume: '/var/lib/postgresql/data',
    env: { PATH: `${PG}/bin:/bin:/usr/bin:/sbin`, PGDATA: '/var/lib/postgresql/data', TZ: 'UTC' },
    stopSignal: 'SIGINT',
    entry: [
      'set -e',
      'if [ ! -s "$PGDATA/PG_VERSION" ]; then',
      '  initdb -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C > /tmp/initdb.log 2>&1 || { cat /tmp/initdb.log >&2; exit 1; }',
      'fi',
      "exec postgres -D \"$PGDATA\" -c listen_addresses= -c unix_socket_directories=/var/run/postgresql",
    ].join('\n'),
  },
  mariadb: MARIADB,
  // the same server under MySQL's names: the client tools as `mysqldump` and `mysql` only, so
  // berth's dump takes its mysqldump branch
  mysql: {
    ...MARIADB,
    tag: 'berth-test/mysql:8',
    bins: [...MARIADB.bins.filter((b) => !/mariadb(-dump)?$/.test(b)), '/usr/bin/mysqldump', '/usr/bin/mysql'],
  },
  redis: {
    tag: 'berth-test/redis:7',
    pkg: 'redis-server',
    bins: ['/usr/bin/redis-server', '/usr/bin/redis-cli'],
    data: [],
    user: { name: 'redis', uid: 100, home: '/data' },
    owned: ['/data'],
    volume: '/data',
    env: { PATH: '/usr/bin:/bin:/sbin' },
    // the default save points (a save on shutdown too), data in /data, as the official image
    entry: 'exec redis-server --dir /data --bind 127.0.0.1 --protected-mode no',
  },
};

export function databaseImageSpec(kind: DatabaseImage): Pick<ImageSpec, 'tag' | 'volume' | 'user'> {
  return SPECS[kind];
}

/** Files ldd names for an executable or library (the loader included). */
function librariesOf(file: string): string[] {
  let out = '';
  try {
    out = execFileSync('ldd', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return []; // not dynamic (a script, a static binary)
  }
  const libs: string[] = [];
  for (const line of out.split('\n')) {
    const m = /=>\s+(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (m) libs.push(m[1]!);
  }
  return libs;
}

/** Every file under `dir` that ldd can read (shared objects of a plugin folder). */
function sharedObjectsUnder(dir: string): string[] {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => path.join(dir, f)).filter((f) => f.endsWith('.so'));
}

function missingOf(spec: ImageSpec): string[] {
  return spec.bins.filter((b) => !fs.existsSync(b));
}

/** The image of `kind` on the test engine, built once (reused while present). */
export async function ensureDatabaseImage(te: TestEngine, kind: DatabaseImage): Promise<string> {
  const spec = SPECS[kind];
  const have = await te.dockerCli(['image', 'inspect', spec.tag], { reject: false });
  if (have.exitCode === 0) return spec.tag;
  const missing = missingOf(spec);
  if (missing.length) throw new Error(`cannot build ${spec.tag}: missing ${missing.join(', ')} (Debian package ${spec.pkg})`);
  const ctx = fs.mkdtempSync(path.join(os.tmpdir(), `db-${kind}-`));
  try {
    const rootfs = path.join(ctx, 'rootfs');
    fs.mkdirSync(rootfs);
    // busybox and its applets, from the fixture image's own tree (one static binary)
    fs.mkdirSync(path.join(rootfs, 'bin'));
    fs.copyFileSync(BUSYBOX_PATH, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    for (const applet of ['sh', 'cat', 'sed', 'grep', 'sleep', 'ls', 'mkdir', 'rm', 'mv', 'chmod', 'hostname', 'tr', 'date', 'head', 'tail', 'wc', 'seq', 'test', '[', 'dirname', 'basename', 'pwd', 'id', 'env', 'expr', 'cut', 'sort', 'which', 'printf', 'echo', 'touch', 'ln', 'kill', 'ps', 'find', 'awk', 'uname']) {
      if (!fs.existsSync(path.join(rootfs, 'bin', applet))) fs.symlinkSync('busybox', path.join(rootfs, 'bin', applet));
    }
    const wanted = new Set<string>();
    const objects = [...spec.bins, ...spec.data.flatMap(sharedObjectsUnder)];
    for (const f of objects) for (const lib of librariesOf(f)) wanted.add(lib);
    for (const f of [...spec.bins, ...spec.data]) if (fs.existsSync(f)) wanted.add(f);
    // GNU tar copies the files and folders with their paths, symlinks followed
    execFileSync('sh', ['-c', 'tar -C / -chf - "$@" | tar -C "$0" -xf -', rootfs, ...[...wanted].map((p) => p.replace(/^\//, ''))]);
    for (const d of ['tmp', 'etc', 'proc', 'sys', 'dev']) fs.mkdirSync(path.join(rootfs, d), { recursive: true });
    fs.chmodSync(path.join(rootfs, 'tmp'), 0o1777);
    const u = spec.user;
    fs.writeFileSync(path.join(rootfs, 'etc', 'passwd'), `root:x:0:0:root:/root:/bin/sh\n${u.name}:x:${u.uid}:${u.uid}:${u.name}:${u.home}:/bin/sh\n`);
    fs.writeFileSync(path.join(rootfs, 'etc', 'group'), `root:x:0:\n${u.name}:x:${u.uid}:\n`);
    fs.writeFileSync(path.join(rootfs, 'entry.sh'), `#!/bin/sh\n${spec.entry}\n`, { mode: 0o755 });
    const owned = path.join(ctx, 'owned');
    for (const d of spec.owned) fs.mkdirSync(path.join(owned, d), { recursive: true, mode: 0o700 });
    const dockerfile = [
      'FROM scratch',
      'COPY rootfs/ /',
      `COPY --chown=${u.uid}:${u.uid} owned/ /`,
      ...Object.entries(spec.env).map(([k, v]) => `ENV ${k}=${v}`),
      `USER ${u.uid}:${u.uid}`,
      `VOLUME ${spec.volume}`,
      ...(spec.stopSignal ? [`STOPSIGNAL ${spec.stopSignal}`] : []),
      'CMD ["/bin/sh", "/entry.sh"]',
    ].join('\n');
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), `${dockerfile}\n`);
    await te.dockerCli(['build', '-q', '--label', `${TEST_LABEL}.fixture=1`, '-t', spec.tag, ctx]);
    return spec.tag;
  } finally {
    fs.rmSync(ctx, { recursive: true, force: true });
  }
}

export { FIXTURE_IMAGE };
