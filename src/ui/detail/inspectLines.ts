// Turns inspect data into the lines of the inspect and env tabs, secrets masked by the one
// rule of lib/secrets (unless revealed). Pure.
import { maskArgs, showVariable } from '../../lib/secrets.js';

import type { TextLine } from '../../lib/textLine.js';

export type { TextLine };

/** NAME=value lines; secret names and secret-looking values masked unless `reveal`. */
export function envLines(env: string[] | null | undefined, reveal: boolean): TextLine[] {
  if (!env?.length) return [{ text: 'no environment variables', role: 'dim' }];
  return [...env]
    .sort()
    .map((e) => {
      const eq = e.indexOf('=');
      const name = eq < 0 ? e : e.slice(0, eq);
      const value = eq < 0 ? '' : e.slice(eq + 1);
      const shown = showVariable(name, value, reveal);
      return shown.masked ? { text: shown.text, role: 'warning' as const } : { text: shown.text };
    });
}

interface Inspect {
  Id?: string;
  Name?: string;
  Created?: string;
  Path?: string;
  Args?: string[];
  RestartCount?: number;
  State?: {
    Status?: string;
    ExitCode?: number;
    Error?: string;
    OOMKilled?: boolean;
    StartedAt?: string;
    FinishedAt?: string;
    Health?: { Status?: string; FailingStreak?: number; Log?: Array<{ Start?: string; ExitCode?: number; Output?: string }> | null };
  };
  Config?: {
    Image?: string;
    Cmd?: string[] | null;
    Entrypoint?: string[] | string | null;
    WorkingDir?: string;
    User?: string;
    Tty?: boolean;
    Labels?: Record<string, string> | null;
    ExposedPorts?: Record<string, unknown> | null;
    Healthcheck?: { Test?: string[] } | null;
  };
  HostConfig?: {
    RestartPolicy?: { Name?: string; MaximumRetryCount?: number };
    Memory?: number;
    NanoCpus?: number;
    NetworkMode?: string;
    Privileged?: boolean;
    AutoRemove?: boolean;
  };
  Mounts?: Array<{ Type?: string; Name?: string; Source?: string; Destination?: string; RW?: boolean }>;
  NetworkSettings?: {
    Ports?: Record<string, Array<{ HostIp?: string; HostPort?: string }> | null> | null;
    Networks?: Record<string, { IPAddress?: string; Aliases?: string[] | null }> | null;
  };
}

export function inspectLines(raw: unknown, reveal = false): TextLine[] {
  const arr = (v: string[] | string | null | undefined) => maskArgs(Array.isArray(v) ? v : v ? [v] : [], reveal).join(' ');
  const i = (raw ?? {}) as Inspect;
  const out: TextLine[] = [];
  const h = (t: string) => out.push({ text: t, role: 'heading' });
  const kv = (k: string, v: string | number | boolean | undefined | null) => out.push({ text: `  ${k.padEnd(15)} ${v === undefined || v === null || v === '' ? '-' : String(v)}` });
  h('Config');
  kv('id', i.Id?.slice(0, 12));
  kv('image', i.Config?.Image);
  kv('entrypoint', arr(i.Config?.Entrypoint));
  kv('command', arr(i.Config?.Cmd));
  kv('working dir', i.Config?.WorkingDir);
  kv('user', i.Config?.User || 'root (default)');
  kv('tty', i.Config?.Tty);
  kv('created', i.Created?.slice(0, 19));
  h('State');
  kv('status', i.State?.Status);
  kv('exit code', i.State?.ExitCode);
  if (i.State?.Error) out.push({ text: `  ${'error'.padEnd(15)} ${i.State.Error}`, role: 'error' });
  kv('OOM killed', i.State?.OOMKilled);
  kv('started', i.State?.StartedAt?.slice(0, 19));
  kv('finished', i.State?.FinishedAt?.startsWith('0001') ? '-' : i.State?.FinishedAt?.slice(0, 19));
  kv('restarts', i.RestartCount);
  const rp = i.HostConfig?.RestartPolicy;
  h('Restart policy');
  kv('policy', rp?.Name || 'no');
  if (rp?.MaximumRetryCount) kv('max retries', rp.MaximumRetryCount);
  h('Limits');
  kv('memory', i.HostConfig?.Memory ? `${Math.round(i.HostConfig.Memory / 1048576)} MiB` : 'unlimited');
  kv('cpus', i.HostConfig?.NanoCpus ? (i.HostConfig.NanoCpus / 1e9).toString() : 'unlimited');
  kv('privileged', i.HostConfig?.Privileged);
  h('Mounts');
  if (!i.Mounts?.length) out.push({ text: '  none', role: 'dim' });
  for (const m of i.Mounts ?? []) {
    out.push({ text: `  ${(m.Type ?? '?').padEnd(7)} ${m.Type === 'volume' ? (m.Name ?? '').slice(0, 24) : (m.Source ?? '')} → ${m.Destination ?? ''}${m.RW === false ? ' (ro)' : ''}` });
  }
  h('Ports');
  const ports = Object.entries(i.NetworkSettings?.Ports ?? {});
  if (!ports.length) out.push({ text: '  none', role: 'dim' });
  for (const [p, binds] of ports) {
    const to = (binds ?? []).map((b) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`).join(', ');
    out.push({ text: `  ${p}${to ? ` ← ${to}` : ' (not published)'}` });
  }
  h('Networks');
  kv('mode', i.HostConfig?.NetworkMode);
  for (const [name, n] of Object.entries(i.NetworkSettings?.Networks ?? {})) {
    out.push({ text: `  ${name.padEnd(15)} ${n.IPAddress || '-'}${n.Aliases?.length ? `  aliases ${n.Aliases.join(', ')}` : ''}` });
  }
  h('Health');
  const health = i.State?.Health;
  if (!health) out.push({ text: `  ${i.Config?.Healthcheck?.Test ? 'no result yet' : 'no health check'}`, role: 'dim' });
  else {
    kv('status', health.Status);
    kv('failing streak', health.FailingStreak);
    if (i.Config?.Healthcheck?.Test) kv('test', arr(i.Config.Healthcheck.Test));
    for (const l of health.Log ?? []) {
      out.push({
        text: `  ${(l.Start ?? '').slice(11, 19)} exit ${l.ExitCode ?? '?'}  ${(l.Output ?? '').replace(/\s+/g, ' ').trim()}`,
        role: l.ExitCode === 0 ? undefined : 'error',
      });
    }
  }
  h('Labels');
  const labels = Object.entries(i.Config?.Labels ?? {});
  if (!labels.length) out.push({ text: '  none', role: 'dim' });
  for (const [k, v] of labels.sort()) out.push({ text: `  ${showVariable(k, v, reveal).text}` });
  return out;
}
