import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCgroupReader, FULL_EVERY, SLOW_EVERY } from '../../../src/engine/stats/cgroupReader.js';
import { resolveCgroupFiles } from '../../../src/engine/stats/cgroupPaths.js';
import { parseCgroupMounts, parseProcCgroup } from '../../../src/engine/stats/procfs.js';
import { copyTree, HOST_MEM, V1_BURN, V1_FILE, V2_CGROUPFS, V2_SYSTEMD } from './helpers.js';

const SYSTEM_NS = (31035 + 5799 + 36401 + 767 + 146) * 10_000_000; // recorded /proc/stat

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});

function tree(name: string) {
  const t = copyTree(name);
  cleanups.push(t.cleanup);
  const reader = createCgroupReader({ procRoot: t.procRoot, mountRoot: t.root, now: () => 1234 });
  return { ...t, reader };
}

describe('cgroup reader, v1 (recorded, cgroupfs driver)', () => {
  it('reads a limited container with page cache: usage minus total_inactive_file', async () => {
    const { reader } = tree('v1-cgroupfs');
    expect(await reader.read(V1_FILE)).toEqual({
      readAt: 1234,
      cpuTotalNs: 55648647,
      systemNs: SYSTEM_NS,
      onlineCpus: 2,
      memUsed: 32993280 - 31457280,
      memLimit: 268435456,
      rxBytes: 0,
      txBytes: 0,
      pids: 1,
    });
  });

  it('reads an unlimited container: limit is host memory; cpuacct wins over the unified cpu.stat', async () => {
    const { reader } = tree('v1-cgroupfs');
    const r = await reader.read(V1_BURN);
    expect(r).toMatchObject({ cpuTotalNs: 8190280783, memUsed: 532480, memLimit: HOST_MEM, pids: 1 });
  });

  it('reads several containers in one pass', async () => {
    const { reader } = tree('v1-cgroupfs');
    const m = await reader.readMany([V1_FILE, V1_BURN, { id: 'f'.repeat(64), pid: 999999 }]);
    expect(m.get(V1_FILE.id)?.cpuTotalNs).toBe(55648647);
    expect(m.get(V1_BURN.id)?.cpuTotalNs).toBe(8190280783);
    expect(m.get('f'.repeat(64))).toBeNull();
  });
});

describe('cgroup reader: slow-changing figures', () => {
  it(`reads the memory limit and pid count at every ${SLOW_EVERY}th reading only, so a change shows within ${SLOW_EVERY} seconds`, async () => {
    const { reader, root } = tree('v1-cgroupfs');
    const dir = join(root, 'sys/fs/cgroup/memory/docker', V1_FILE.id);
    expect((await reader.read(V1_FILE))?.memLimit).toBe(268435456);
    writeFileSync(join(dir, 'memory.limit_in_bytes'), '536870912\n');
    // usage is read at every reading the container ran in: a change shows at once
    writeFileSync(join(dir, 'memory.usage_in_bytes'), String(32993280 + 4096) + '\n');
    writeFileSync(join(root, 'sys/fs/cgroup/cpuacct/docker', V1_FILE.id, 'cpuacct.usage'), '55648648\n');
    const next = await reader.read(V1_FILE);
    expect(next?.memUsed).toBe(32993280 + 4096 - 31457280);
    expect(next?.memLimit).toBe(268435456);
    const limits: number[] = [];
    for (let i = 3; i <= SLOW_EVERY; i++) limits.push((await reader.read(V1_FILE))!.memLimit);
    expect(limits.every((l) => l === 268435456)).toBe(true);
    expect((await reader.read(V1_FILE))?.memLimit).toBe(536870912);
  });
});

describe('cgroup reader: containers that ran nothing', () => {
  it(`reads only the CPU counter of a container whose counter has not moved, and everything at least every ${FULL_EVERY}th reading`, async () => {
    const { reader, root } = tree('v1-cgroupfs');
    const mem = join(root, 'sys/fs/cgroup/memory/docker', V1_FILE.id, 'memory.usage_in_bytes');
    const cpu = join(root, 'sys/fs/cgroup/cpuacct/docker', V1_FILE.id, 'cpuacct.usage');
    const net = join(root, 'proc', String(V1_FILE.pid), 'net/dev');
    const first = (await reader.read(V1_FILE))!;
    expect(first.memUsed).toBe(32993280 - 31457280);
    // memory and network change, the CPU counter does not: the last full reading stands
    writeFileSync(mem, `${32993280 + 8192}\n`);
    writeFileSync(net, 'Inter-|\n face |bytes\n  eth0: 1000 0 0 0 0 0 0 0 2000 0 0 0 0 0 0 0\n');
    expect(await reader.read(V1_FILE)).toEqual(first);
    // the counter moves: memory and network are read again at once
    writeFileSync(cpu, '55649647\n');
    const ran = (await reader.read(V1_FILE))!;
    expect(ran.cpuTotalNs).toBe(55649647);
    expect(ran.memUsed).toBe(32993280 + 8192 - 31457280);
    expect(ran.rxBytes).toBe(1000);
    // idle again: bytes received meanwhile show at the next full reading at the latest
    writeFileSync(net, 'Inter-|\n face |bytes\n  eth0: 5000 0 0 0 0 0 0 0 2000 0 0 0 0 0 0 0\n');
    const rx: number[] = [];
    for (let i = 1; i <= FULL_EVERY; i++) rx.push((await reader.read(V1_FILE))!.rxBytes);
    expect(rx[0]).toBe(1000);
    expect(rx[FULL_EVERY - 1]).toBe(5000);
  });
});

describe('cgroup reader: a main process that is gone', () => {
  it('is noticed at the next full reading when its cgroup is still there', async () => {
    const { reader, root } = tree('v1-cgroupfs');
    expect(await reader.read(V1_BURN)).not.toBeNull();
    rmSync(join(root, 'proc', String(V1_BURN.pid)), { recursive: true });
    const left: Array<unknown> = [];
    for (let i = 0; i < FULL_EVERY; i++) left.push(await reader.read(V1_BURN));
    expect(left).toContain(null);
  });
});

describe('cgroup reader, v1 (systemd driver: system.slice/docker-<id>.scope, cpu,cpuacct co-mounted)', () => {
  it('reads the same counters through the systemd layout', async () => {
    const { reader } = tree('v1-systemd');
    expect(await reader.read(V1_FILE)).toMatchObject({
      cpuTotalNs: 55648647,
      memUsed: 1536000,
      memLimit: 268435456,
      pids: 1,
    });
  });
});

describe('cgroup reader, v2', () => {
  it('systemd driver, memory.max "max": cpu.stat usage_usec, memory.current minus inactive_file', async () => {
    const { reader } = tree('v2-systemd');
    expect(await reader.read(V2_SYSTEMD)).toEqual({
      readAt: 1234,
      cpuTotalNs: 73512345 * 1000,
      systemNs: SYSTEM_NS,
      onlineCpus: 2,
      memUsed: 86245376 - 20971520,
      memLimit: HOST_MEM,
      rxBytes: 242611017,
      txBytes: 533209,
      pids: 7,
    });
  });

  it('cgroupfs driver with a 512 MiB limit', async () => {
    const { reader } = tree('v2-cgroupfs');
    expect(await reader.read(V2_CGROUPFS)).toMatchObject({
      cpuTotalNs: 1234567000,
      memUsed: 13631488 - 3145728,
      memLimit: 536870912,
      pids: 3,
    });
  });
});

describe('cgroup reader, failures', () => {
  it('returns null, never throws, when the container’s files vanish; and again after', async () => {
    const { reader, root } = tree('v1-cgroupfs');
    expect(await reader.read(V1_BURN)).not.toBeNull();
    // A stopped container's cgroup is removed, and the files berth keeps open answer ENODEV;
    // these regular files stand in for them: emptied in place (what the open file reads), then removed.
    const cpu = join(root, 'sys/fs/cgroup/cpuacct/docker', V1_BURN.id, 'cpuacct.usage');
    writeFileSync(cpu, '');
    for (const c of ['cpuacct', 'memory', 'pids']) rmSync(join(root, 'sys/fs/cgroup', c, 'docker', V1_BURN.id), { recursive: true, force: true });
    rmSync(join(root, 'proc', String(V1_BURN.pid)), { recursive: true });
    await expect(reader.read(V1_BURN)).resolves.toBeNull();
    await expect(reader.read(V1_BURN)).resolves.toBeNull();
    // the other container is unaffected
    expect(await reader.read(V1_FILE)).not.toBeNull();
  });

  it('caches resolved paths per container: /proc/<pid>/cgroup is read once', async () => {
    const { reader, root } = tree('v1-cgroupfs');
    expect(await reader.read(V1_FILE)).not.toBeNull();
    rmSync(join(root, 'proc', String(V1_FILE.pid), 'cgroup'));
    expect(await reader.read(V1_FILE)).not.toBeNull();
    reader.forget(V1_FILE.id);
    expect(await reader.read(V1_FILE)).toBeNull();
  });

  it('returns null when the pid is not in that container’s cgroup (pid reused, other pid namespace)', async () => {
    const { reader } = tree('v1-cgroupfs');
    expect(await reader.read({ id: V1_FILE.id, pid: V1_BURN.pid })).toBeNull();
    expect(await reader.read({ id: V1_FILE.id, pid: 0 })).toBeNull();
  });

  it('returns null on garbage instead of throwing', async () => {
    const { reader, root } = tree('v2-cgroupfs');
    writeFileSync(join(root, 'sys/fs/cgroup/docker', V2_CGROUPFS.id, 'memory.current'), 'garbage\n');
    await expect(reader.read(V2_CGROUPFS)).resolves.toBeNull();
  });

  it('returns null for everything when /proc is not there', async () => {
    const reader = createCgroupReader({ procRoot: '/nonexistent-proc', mountRoot: '/nonexistent' });
    await expect(reader.read(V1_FILE)).resolves.toBeNull();
  });
});

describe('resolveCgroupFiles', () => {
  const id = V2_CGROUPFS.id;
  const opts = { containerId: id, pid: 42, procRoot: '/proc', mountRoot: '' };

  it('strips a mount root that is not "/" (berth itself in a container that sees a subtree)', () => {
    const mounts = parseCgroupMounts(
      '29 21 0:26 /docker /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate\n',
    );
    const files = resolveCgroupFiles(parseProcCgroup(`0::/docker/${id}\n`), mounts, opts);
    expect(files?.cpu).toEqual({ version: 2, stat: `/sys/fs/cgroup/${id}/cpu.stat` });
    expect(files?.netDev).toBe('/proc/42/net/dev');
    // a cgroup outside what the mount shows cannot be read
    expect(resolveCgroupFiles(parseProcCgroup(`0::/other/${id}\n`), mounts, opts)).toBeNull();
  });

  it('refuses relative paths from another cgroup namespace', () => {
    const mounts = parseCgroupMounts('29 21 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n');
    expect(resolveCgroupFiles(parseProcCgroup(`0::/../../docker/${id}\n`), mounts, opts)).toBeNull();
  });
});
