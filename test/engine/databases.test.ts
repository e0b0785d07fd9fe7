// Real databases through berth's backups: PostgreSQL 15, MariaDB and Redis, each in an
// image built FROM scratch out of Debian's packages (test/harness/dbImages.ts), under a
// steady write load. A stop-mode backup (berth stops the database for the copy) restored
// into a new volume must start cleanly and hold every row committed before the backup
// began; a live backup with --dump (pg_dumpall, mariadb-dump --single-transaction, a redis
// BGSAVE copy) loaded into a new database must hold every row committed before the dump.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getTestEngine, type TestEngine } from '../harness/engine.js';
import { databaseImageSpec, ensureDatabaseImage, type DatabaseImage } from '../harness/dbImages.js';
import { runBackupCommand, runRestoreCommand } from '../../src/ops/backup/run.js';
import { manifestFileOf } from '../../src/ops/backup/sidecar.js';

let te: TestEngine;
let work: string;
const tag = `db${process.pid}`;

interface Db {
  kind: DatabaseImage;
  /** the container's environment (credentials, as the official images take them) */
  env?: Record<string, string>;
  /** commands run once in a fresh server before setup (plain docker exec argv) */
  prepare?: string[][];
  /** one query/command, its output trimmed */
  query(container: string, q: string): Promise<string>;
  /** resolves once the server answers (credentials or not) */
  ping(container: string): Promise<unknown>;
  setup: string[];
  /** a shell loop run with `docker exec -d`: one committed row after another */
  writer: string;
  /** rows committed, read now */
  rows(container: string): Promise<number>;
  /** rows 1..n all present (no row committed before a point lost) */
  holdsFirst(container: string, n: number): Promise<boolean>;
  /** the log line of a clean start (no crash recovery) */
  cleanStart: RegExp;
  /** brings a dump into a fresh, empty database container (created, not started for redis) */
  loadDump(container: string, volume: string, dumpFile: string): Promise<void>;
}

const exec = async (container: string, args: string[], input?: string) => (await te.dockerCli(['exec', ...(input !== undefined ? ['-i'] : []), container, ...args], { input })).stdout.trim();

/**
 * MariaDB as itself (no root password), and under MySQL's names with MYSQL_ROOT_PASSWORD set
 * the way the official images use it: berth's dump must find the password in the container.
 */
function mysqlLike(kind: 'mariadb' | 'mysql'): Db {
  const client = kind === 'mysql' ? 'mysql' : 'mariadb';
  const sql = (c: string, q: string) => exec(c, ['sh', '-c', `exec ${client} -uroot \${MYSQL_ROOT_PASSWORD:+-p"$MYSQL_ROOT_PASSWORD"} -N -B -e "$0"`, q]);
  return {
    kind,
    env: kind === 'mysql' ? { MYSQL_ROOT_PASSWORD: 'not-in-any-argument' } : {},
    // the password is set on the fresh server (it has none yet), as the official entrypoint does
    prepare: kind === 'mysql' ? [['mysql', '-uroot', '-e', "alter user root@localhost identified by 'not-in-any-argument'"]] : [],
    query: sql,
    ping: (c) => exec(c, ['mariadb-admin', 'ping']), // 0 once the server answers, even to a refused login
    setup: ['create database berth', 'create table berth.t (id int auto_increment primary key, v text not null) engine=InnoDB'],
    writer: `while :; do echo "insert into t (v) values ('row');"; sleep 0.01; done | ${client} -uroot \${MYSQL_ROOT_PASSWORD:+-p"$MYSQL_ROOT_PASSWORD"} berth`,
    rows: async (c) => Number(await sql(c, 'select count(*) from berth.t')),
    holdsFirst: async (c, n) => Number(await sql(c, `select count(*) from berth.t where id <= ${n}`)) === n,
    cleanStart: /ready for connections/,
    loadDump: async (c, _v, file) => {
      await exec(c, ['sh', '-c', `exec ${client} -uroot \${MYSQL_ROOT_PASSWORD:+-p"$MYSQL_ROOT_PASSWORD"}`], fs.readFileSync(file, 'utf8'));
    },
  };
}

const DBS: Db[] = [
  {
    kind: 'postgres',
    query: (c, q) => exec(c, ['psql', '-U', 'postgres', '-Atqc', q]),
    ping: (c) => exec(c, ['psql', '-U', 'postgres', '-Atqc', 'select 1']),
    setup: ['create table t (id serial primary key, v text not null)'],
    writer: "while :; do echo \"insert into t (v) values ('row');\"; sleep 0.01; done | psql -qU postgres",
    rows: async (c) => Number(await exec(c, ['psql', '-U', 'postgres', '-Atqc', 'select count(*) from t'])),
    holdsFirst: async (c, n) => Number(await exec(c, ['psql', '-U', 'postgres', '-Atqc', `select count(*) from t where id <= ${n}`])) === n,
    cleanStart: /database system was shut down at/,
    loadDump: async (c, _v, file) => {
      await exec(c, ['psql', '-U', 'postgres', '-q', '-d', 'template1', '-f', '-'], fs.readFileSync(file, 'utf8'));
    },
  },
  mysqlLike('mariadb'),
  mysqlLike('mysql'),
  {
    kind: 'redis',
    query: (c, q) => exec(c, ['redis-cli', ...q.split(' ')]),
    ping: async (c) => expect(await exec(c, ['redis-cli', 'PING'])).toBe('PONG'),
    setup: [],
    writer: 'i=$(redis-cli LLEN rows); while :; do i=$((i+1)); redis-cli RPUSH rows $i > /dev/null; sleep 0.01; done',
    rows: async (c) => Number(await exec(c, ['redis-cli', 'LLEN', 'rows'])),
    holdsFirst: async (c, n) => n === 0 || ((await exec(c, ['redis-cli', 'LRANGE', 'rows', '0', String(n - 1)])).split('\n').every((v, i) => v === String(i + 1)) && (await exec(c, ['redis-cli', 'LINDEX', 'rows', String(n - 1)])) === String(n)),
    cleanStart: /DB loaded from disk/,
    // the RDB file is the data: into the empty data folder as dump.rdb, owned by redis
    loadDump: async (c, volume, file) => {
      await te.dockerCli(['cp', file, `${c}:/data/dump.rdb`]);
      const uid = databaseImageSpec('redis').user.uid;
      await te.dockerCli(['run', '--rm', ...labelArgs(), '--network', 'none', '-v', `${volume}:/data`, te.image, 'chown', `${uid}:${uid}`, '/data/dump.rdb']);
    },
  },
];

const labelArgs = () => Object.entries(te.labels).flatMap(([k, v]) => ['--label', `${k}=${v}`]);

/** A database container on `volume` (created, started unless start is false). */
async function database(db: Db, name: string, volume: string, start = true): Promise<void> {
  const spec = databaseImageSpec(db.kind);
  const env = Object.entries(db.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  await te.dockerCli([start ? 'run' : 'create', ...(start ? ['-d'] : []), '--name', name, ...labelArgs(), ...env, '--network', 'none', '-v', `${volume}:${spec.volume}`, spec.tag]);
}

async function ready(db: Db, name: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await db.ping(name);
      return;
    } catch (e) {
      if (Date.now() > deadline) {
        const logs = await te.dockerCli(['logs', '--tail', '20', name], { reject: false });
        throw new Error(`${name} did not become ready: ${(e as Error).message}\n${logs.stdout}${logs.stderr}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

async function waitForRows(db: Db, name: string, atLeast: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const n = await db.rows(name);
    if (n >= atLeast) return n;
    if (Date.now() > deadline) throw new Error(`${name}: only ${n} rows after 30 s of writing`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function logsOf(name: string): Promise<string> {
  const r = await te.dockerCli(['logs', name]);
  return r.stdout + r.stderr;
}

async function cli(fn: (o: { out: NodeJS.WritableStream; err: NodeJS.WritableStream }) => Promise<number>): Promise<string> {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d) => (text += d));
  const code = await fn({ out, err: out });
  expect(code, text).toBe(0);
  return text;
}

/** What a backup run wrote into dest (a folder per volume; x.tar.gz beside x.tar.gz.manifest.json and its dumps). */
function filesIn(dest: string, suffix: RegExp): string[] {
  return fs
    .readdirSync(dest, { recursive: true, encoding: 'utf8' })
    .filter((f) => suffix.test(f))
    .map((f) => path.join(dest, f));
}

beforeAll(async () => {
  te = await getTestEngine();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-db-'));
  // built side by side: most of their time is the engine unpacking the build context
  await Promise.all(DBS.map((db) => ensureDatabaseImage(te, db.kind)));
}, 300_000);

afterAll(async () => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
  // what this file made that carries no test label: the volumes restores created, and the
  // database images (large; other tests list the engine's images)
  const { Volumes } = await te.docker.listVolumes();
  for (const v of Volumes ?? []) if (v.Name.startsWith(`${tag}-`)) await te.docker.getVolume(v.Name).remove({ force: true }).catch(() => {});
  for (const db of DBS) await te.dockerCli(['rmi', '-f', databaseImageSpec(db.kind).tag], { reject: false });
}, 120_000);

describe.each(DBS)('$kind under a write load', (db) => {
  const name = `${tag}-${db.kind}`;
  const volume = `${name}-data`;
  const report: string[] = [];

  beforeAll(async () => {
    await te.docker.createVolume({ Name: volume, Labels: te.labels });
    await database(db, name, volume);
    await ready(db, name);
    for (const argv of db.prepare ?? []) await exec(name, argv);
    for (const q of db.setup) await db.query(name, q);
    await te.dockerCli(['exec', '-d', name, 'sh', '-c', db.writer]);
    await waitForRows(db, name, 20);
  }, 120_000);

  afterAll(() => {
    // the figures of this run, for the session's notes
    if (report.length) process.stdout.write(`${db.kind}: ${report.join('; ')}\n`);
  });

  it('a stop-mode backup restored into a new volume starts cleanly and holds every row committed before it', async () => {
    const dest = path.join(work, `${db.kind}-stop`);
    const before = await db.rows(name);
    const text = await cli((o) => runBackupCommand({ target: volume, dest, helperImage: te.image, host: te.host, ...o }));
    expect(text).toMatch(new RegExp(`stop.*${name}`)); // berth stopped the database for the copy (auto: it is a database)
    const [archive] = filesIn(dest, /\.tar\.gz$/);
    expect(archive, text).toBeDefined();
    expect(JSON.parse(fs.readFileSync(manifestFileOf(archive!), 'utf8')).consistency).toBe('stopped');
    // the source database was started again and the load goes on after it
    await ready(db, name);
    await te.dockerCli(['exec', '-d', name, 'sh', '-c', db.writer]);

    const restored = `${name}-restored`;
    await cli((o) => runRestoreCommand({ archive: archive!, to: restored, helperImage: te.image, host: te.host, ...o }));
    await database(db, `${restored}-db`, restored);
    await ready(db, `${restored}-db`);
    expect(await logsOf(`${restored}-db`)).toMatch(db.cleanStart);
    const after = await db.rows(`${restored}-db`);
    expect(after).toBeGreaterThanOrEqual(before);
    expect(await db.holdsFirst(`${restored}-db`, before)).toBe(true);
    report.push(`stop mode: ${before} rows before the backup, ${after} in the restored database`);
    await te.dockerCli(['rm', '-f', `${restored}-db`]);
  }, 180_000);

  it('a live backup with --dump: the dump loaded into a new database holds every row committed before the dump', async () => {
    await waitForRows(db, name, (await db.rows(name)) + 20); // the load runs again
    const dest = path.join(work, `${db.kind}-live`);
    const before = await db.rows(name);
    const text = await cli((o) => runBackupCommand({ target: volume, dest, live: true, dump: true, helperImage: te.image, host: te.host, ...o }));
    expect(text).toMatch(/dumps: /);
    const [archive] = filesIn(dest, /\.tar\.gz$/);
    const manifest = JSON.parse(fs.readFileSync(manifestFileOf(archive!), 'utf8'));
    expect(manifest.consistency).toBe('live');
    expect(manifest.dumps).toHaveLength(1);
    const [dumpFile] = filesIn(dest, /\.tar\.gz\.dump\./);
    expect(dumpFile, text).toBeDefined();
    // the database kept running through it: rows went on being committed
    const during = await db.rows(name);
    expect(during).toBeGreaterThan(before);

    // the live copy restores too (verified against its manifest); the dump is the consistent part
    const restored = `${name}-live`;
    await cli((o) => runRestoreCommand({ archive: archive!, to: restored, helperImage: te.image, host: te.host, ...o }));

    const fresh = `${name}-fromdump`;
    const freshVolume = `${fresh}-data`;
    await te.docker.createVolume({ Name: freshVolume, Labels: te.labels });
    if (db.kind === 'redis') {
      await database(db, fresh, freshVolume, false);
      await db.loadDump(fresh, freshVolume, dumpFile!);
      await te.dockerCli(['start', fresh]);
      await ready(db, fresh);
      expect(await logsOf(fresh)).toMatch(db.cleanStart);
    } else {
      await database(db, fresh, freshVolume);
      await ready(db, fresh);
      for (const argv of db.prepare ?? []) await exec(fresh, argv);
      await db.loadDump(fresh, freshVolume, dumpFile!);
    }
    const after = await db.rows(fresh);
    expect(after).toBeGreaterThanOrEqual(before);
    expect(await db.holdsFirst(fresh, before)).toBe(true);
    report.push(`live + dump: ${before} rows before the dump, ${during} when the backup ended, ${after} in the loaded dump`);
    await te.dockerCli(['rm', '-f', fresh]);
  }, 180_000);
});
