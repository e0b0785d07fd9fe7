import { describe, expect, it } from 'vitest';
import {
  parseCgroupMounts,
  parseFlatKeyed,
  pickFlatKeyed,
  parseMemTotal,
  parseNetDev,
  parseProcCgroup,
  parseProcStat,
  parseSingleValue,
} from '../../../src/engine/stats/procfs.js';
import { fixtureText, HOST_MEM, V1_BURN, V2_SYSTEMD } from './helpers.js';

describe('procfs parsers', () => {
  it('/proc/stat: the first seven cpu fields in ns (docker’s system_cpu_usage) and the cpuN lines', () => {
    const s = parseProcStat(fixtureText('v1-cgroupfs/proc/stat'));
    // cpu  31035 0 5799 36401 767 0 146 1956 0 0  -> steal (1956) is not counted
    expect(s.systemNs).toBe((31035 + 5799 + 36401 + 767 + 146) * 10_000_000);
    expect(s.onlineCpus).toBe(2);
    expect(() => parseProcStat('intr 1 2 3\n')).toThrow(/no cpu line/);
  });

  it('/proc/meminfo MemTotal in bytes', () => {
    expect(parseMemTotal(fixtureText('v1-cgroupfs/proc/meminfo'))).toBe(HOST_MEM);
  });

  it('net/dev: sums every interface but lo', () => {
    expect(parseNetDev(fixtureText(`v1-cgroupfs/proc/${V1_BURN.pid}/net/dev`))).toEqual({ rxBytes: 0, txBytes: 0 });
    // lo 3193/3193, eth0 242611017/533209, two ifb and a bridge at 0
    expect(parseNetDev(fixtureText(`v2-systemd/proc/${V2_SYSTEMD.pid}/net/dev`))).toEqual({
      rxBytes: 242611017,
      txBytes: 533209,
    });
  });

  it('flat-keyed files and single values', () => {
    const cpu = parseFlatKeyed('usage_usec 73512345\nuser_usec 66161110\nnr_periods 0\n');
    expect(cpu).toEqual({ usage_usec: 73512345, user_usec: 66161110, nr_periods: 0 });
    expect(parseSingleValue('max\n', 'memory.max')).toBe(Infinity);
    expect(parseSingleValue('536870912\n', 'memory.max')).toBe(536870912);
    expect(() => parseSingleValue('', 'memory.max')).toThrow(/memory.max/);
  });

  it('picking keys gives what parsing the whole file gives, and no key that only ends like one', async () => {
    const { readdirSync } = await import('node:fs');
    const dir = 'v1-cgroupfs/sys/fs/cgroup/memory/docker';
    const keys = ['total_inactive_file', 'inactive_file', 'cache', 'rss', 'hierarchical_memory_limit'] as const;
    for (const id of readdirSync(`test/unit/stats/fixtures/${dir}`)) {
      const text = fixtureText(`${dir}/${id}/memory.stat`);
      const all = parseFlatKeyed(text);
      const picked = pickFlatKeyed(text, keys);
      for (const k of keys) expect(picked[k], `${id} ${k}`).toBe(all[k]);
      expect(picked.inactive_file).not.toBe(undefined);
    }
    // "inactive_file" is not read out of "total_inactive_file" when only the latter is there
    expect(pickFlatKeyed('total_inactive_file 7\nrss 3\n', ['inactive_file', 'rss'])).toEqual({ rss: 3 });
    // the first line, the last line without its newline, a leading newline
    expect(pickFlatKeyed('usage_usec 12\nuser_usec 5', ['usage_usec', 'user_usec'])).toEqual({ usage_usec: 12, user_usec: 5 });
    expect(pickFlatKeyed('\nusage_usec 12\n', ['usage_usec'])).toEqual({ usage_usec: 12 });
    expect(pickFlatKeyed('usage_usec x\n', ['usage_usec'])).toEqual({});
  });

  it('/proc/<pid>/cgroup lines, v1 and v2', () => {
    const entries = parseProcCgroup(fixtureText(`v1-systemd/proc/${V1_BURN.pid}/cgroup`));
    expect(entries).toContainEqual({
      hierarchyId: 4,
      controllers: ['cpu', 'cpuacct'],
      path: `/system.slice/docker-${V1_BURN.id}.scope`,
    });
    expect(entries).toContainEqual({ hierarchyId: 0, controllers: [], path: `/system.slice/docker-${V1_BURN.id}.scope` });
  });

  it('mountinfo: cgroup v1 hierarchies with their controllers, the cgroup2 mount, escapes', () => {
    const mounts = parseCgroupMounts(fixtureText('v1-systemd/proc/self/mountinfo'));
    expect(mounts).toContainEqual({ root: '/', mountPoint: '/sys/fs/cgroup/cpu,cpuacct', version: 1, controllers: ['cpu', 'cpuacct'] });
    expect(mounts).toContainEqual({ root: '/', mountPoint: '/sys/fs/cgroup/systemd', version: 1, controllers: ['xattr', 'name=systemd'] });
    expect(mounts).toContainEqual({ root: '/', mountPoint: '/sys/fs/cgroup/unified', version: 2, controllers: [] });
    expect(mounts.some((m) => m.mountPoint === '/sys/fs/cgroup')).toBe(false); // the tmpfs
    const odd = parseCgroupMounts('40 31 0:37 / /mnt/my\\040cgroups rw,relatime shared:3 - cgroup2 cgroup2 rw\n');
    expect(odd[0].mountPoint).toBe('/mnt/my cgroups');
  });
});
