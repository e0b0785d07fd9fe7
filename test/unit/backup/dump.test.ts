import { describe, expect, it } from 'vitest';
import { dumpCommand } from '../../../src/ops/backup/dump.js';
import { databaseKind } from '../../../src/ops/backup/engine.js';

describe('database images', () => {
  it('are recognised by repository name, whatever the registry, tag or digest', () => {
    expect(databaseKind('postgres:16-alpine')).toBe('postgres');
    expect(databaseKind('docker.io/library/postgres@sha256:abc')).toBe('postgres');
    expect(databaseKind('ghcr.io/acme/postgis/postgis:16-3.4')).toBe('postgres');
    expect(databaseKind('bitnami/postgresql:15')).toBe('postgres');
    expect(databaseKind('mysql:8')).toBe('mysql');
    expect(databaseKind('mariadb:11')).toBe('mariadb');
    expect(databaseKind('mongo:7')).toBe('mongo');
    expect(databaseKind('redis:7')).toBe('redis');
    expect(databaseKind('localhost:5000/postgres-tools:1')).toBe('postgres');
    expect(databaseKind('node:20')).toBeNull();
    expect(databaseKind('registry:5000/app')).toBeNull();
  });

  it('get a dump command that reads credentials inside the container', () => {
    expect(dumpCommand('postgres:16')).toEqual({ engine: 'postgres', cmd: ['sh', '-c', 'exec pg_dumpall --clean --if-exists -U "${POSTGRES_USER:-postgres}"'], ext: 'sql', summary: 'pg_dumpall --clean --if-exists' });
    const my = dumpCommand('mariadb:11')!;
    expect(my.ext).toBe('sql');
    expect(my.cmd[2]).toContain('--all-databases');
    expect(my.cmd[2]).toContain('mariadb-dump');
    expect(my.cmd[2]).toContain('MYSQL_ROOT_PASSWORD');
    expect(dumpCommand('mysql:8')!.cmd[2]).toContain('mysqldump');
    expect(dumpCommand('mongo:7')).toMatchObject({ engine: 'mongo', ext: 'archive' });
    expect(dumpCommand('mongo:7')!.cmd[2]).toMatch(/^exec mongodump --archive/);
    expect(dumpCommand('redis:7')).toMatchObject({ engine: 'redis', ext: 'rdb' });
    expect(dumpCommand('redis:7')!.cmd[2]).toContain('redis-cli BGSAVE');
    expect(dumpCommand('node:20')).toBeNull();
  });
});
