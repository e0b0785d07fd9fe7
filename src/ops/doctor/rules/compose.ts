// Compose file rules. Each is small and named; the id is what `--json` and CI see.
import { isRecord, serviceMounts, type Mount, type Service } from '../../compose/file.js';
import type { ComposeCtx } from '../context.js';
import { holdsSecret, type Finding, type Rule } from '../types.js';

type ComposeRule = Rule<ComposeCtx>;

function eachService(ctx: ComposeCtx, fn: (name: string, svc: Service) => Finding[] | Finding | null): Finding[] {
  const out: Finding[] = [];
  for (const [name, svc] of Object.entries(ctx.compose.services)) {
    const r = fn(name, svc);
    if (Array.isArray(r)) out.push(...r);
    else if (r) out.push(r);
  }
  return out;
}

/** Splits an image reference into name, tag and digest (registry ports are not tags). */
export function parseImageRef(ref: string): { name: string; tag: string | null; digest: string | null } {
  let rest = ref.trim();
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, tag: null, digest };
}

/** The last path part of an image name without registry or tag: "docker.io/library/postgres:16" → "postgres". */
export function imageBaseName(ref: string): string {
  const { name } = parseImageRef(ref);
  return name.slice(name.lastIndexOf('/') + 1).toLowerCase();
}

export const composeValid: ComposeRule = {
  id: 'compose/valid',
  target: 'compose',
  title: 'The compose file is valid YAML with a services mapping',
  check(ctx) {
    const y = ctx.compose.yaml;
    if (y.errors.length) {
      // One finding: later parse errors are mostly consequences of the first.
      const e = y.errors[0]!;
      const more = y.errors.length > 1 ? ` (and ${y.errors.length - 1} more after it)` : '';
      return [
        {
          id: 'compose/valid',
          severity: 'error',
          message: `invalid YAML: ${e.message}${more}`,
          where: { file: ctx.display, line: e.line, column: e.column },
          fix: 'Correct the YAML syntax at this position (indentation, quotes, a missing colon).',
        },
      ];
    }
    const root = y.value;
    if (!isRecord(root)) {
      return [{ id: 'compose/valid', severity: 'error', message: 'the file is not a mapping of compose keys', where: ctx.where([]), fix: 'Start the file with a top-level `services:` mapping.' }];
    }
    if (!isRecord(root.services)) {
      return [{ id: 'compose/valid', severity: 'error', message: 'no `services:` mapping', where: ctx.where(['services'], 'key'), fix: 'Add a top-level `services:` mapping with at least one service.' }];
    }
    const out: Finding[] = [];
    for (const [name, svc] of Object.entries(root.services)) {
      if (!isRecord(svc)) {
        out.push({ id: 'compose/valid', severity: 'error', message: `service "${name}" is not a mapping`, where: ctx.where(['services', name], 'key'), fix: `Give "${name}" keys such as image: or build:.` });
      } else if (svc.image === undefined && svc.build === undefined) {
        out.push({ id: 'compose/valid', severity: 'error', message: `service "${name}" has neither image nor build`, where: ctx.where(['services', name], 'key'), fix: `Add \`image: <name>:<version>\` or \`build: .\` to "${name}".` });
      }
    }
    return out;
  },
};

export const composeImagePinned: ComposeRule = {
  id: 'compose/image-pinned',
  target: 'compose',
  title: 'Images are pinned to a version tag or digest (no latest, no missing tag)',
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      if (svc.image === undefined || svc.build !== undefined) return null; // built locally: the image is its output
      const ref = ctx.compose.expand(svc.image);
      if (!ref) return null;
      const { tag, digest } = parseImageRef(ref);
      if (digest) return null;
      if (tag && tag !== 'latest') return null;
      return {
        id: 'compose/image-pinned',
        severity: 'warning',
        message: tag ? `service "${name}" uses ${ref}: "latest" changes under you` : `service "${name}" uses ${ref} without a tag (that means latest)`,
        where: ctx.where(['services', name, 'image']),
        fix: `Pin a version, e.g. ${parseImageRef(ref).name}:<version> (or @sha256:<digest>).`,
      };
    });
  },
};

export const composeHealthcheck: ComposeRule = {
  id: 'compose/healthcheck',
  target: 'compose',
  title: 'Every service has a health check',
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      const hc = svc.healthcheck;
      if (isRecord(hc)) {
        const test = hc.test;
        const disabled = hc.disable === true || (Array.isArray(test) && test[0] === 'NONE');
        if (!disabled) return null;
        return { id: 'compose/healthcheck', severity: 'info', message: `service "${name}" disables its health check`, where: ctx.where(['services', name, 'healthcheck'], 'key'), fix: 'Keep a health check so `docker ps` and berth can tell a stuck service from a healthy one.' };
      }
      const df = ctx.dockerfileFor(name);
      if (df?.instructions.some((i) => i.keyword === 'HEALTHCHECK' && !/^NONE\b/i.test(i.args))) return null;
      return {
        id: 'compose/healthcheck',
        severity: 'warning',
        message: `service "${name}" has no health check`,
        where: ctx.where(['services', name], 'key'),
        fix: `Add a healthcheck: block to "${name}" (test, interval, timeout, retries).`,
      };
    });
  },
};

export const composeResourceLimits: ComposeRule = {
  id: 'compose/resource-limits',
  target: 'compose',
  title: 'Every service has a memory or CPU limit',
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      if (svc.mem_limit !== undefined || svc.cpus !== undefined) return null;
      const deploy = svc.deploy;
      if (isRecord(deploy) && isRecord(deploy.resources) && isRecord(deploy.resources.limits)) {
        const l = deploy.resources.limits;
        if (l.memory !== undefined || l.cpus !== undefined) return null;
      }
      return {
        id: 'compose/resource-limits',
        severity: 'warning',
        message: `service "${name}" has no memory or CPU limit`,
        where: ctx.where(['services', name], 'key'),
        fix: `Add \`mem_limit: 4g\` (or deploy.resources.limits.memory) to "${name}" so a runaway agent cannot take the host down.`,
      };
    });
  },
};

export const composeRestartPolicy: ComposeRule = {
  id: 'compose/restart-policy',
  target: 'compose',
  title: 'Every service has a restart policy',
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      const restart = svc.restart;
      const deploy = svc.deploy;
      const deployPolicy = isRecord(deploy) && isRecord(deploy.restart_policy) ? deploy.restart_policy.condition : undefined;
      if (restart !== undefined) {
        if (String(restart) !== 'no') return null;
        return { id: 'compose/restart-policy', severity: 'info', message: `service "${name}" is set never to restart`, where: ctx.where(['services', name, 'restart']), fix: 'Use `restart: unless-stopped` unless this is a one-shot job.' };
      }
      if (deployPolicy !== undefined && deployPolicy !== 'none') return null;
      return {
        id: 'compose/restart-policy',
        severity: 'warning',
        message: `service "${name}" has no restart policy: it stays down after a crash or a reboot`,
        where: ctx.where(['services', name], 'key'),
        fix: `Add \`restart: unless-stopped\` to "${name}".`,
      };
    });
  },
};

export const composeInlineSecrets: ComposeRule = {
  id: 'compose/inline-secrets',
  target: 'compose',
  title: 'Secrets come from ${VAR} (.env), not literal values in the file',
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      const env = svc.environment;
      const out: Finding[] = [];
      const flag = (key: string, where: ReturnType<ComposeCtx['where']>): void => {
        out.push({
          id: 'compose/inline-secrets',
          severity: 'error',
          message: `service "${name}" sets ${key} to a literal value in the compose file`,
          where,
          fix: `Write \`${key}: \${${key}}\` and put the value in .env (not committed); list ${key}= in .env.example.`,
        });
      };
      if (isRecord(env)) {
        for (const [key, value] of Object.entries(env)) {
          if (value === null || value === undefined || value === '' || typeof value === 'object') continue;
          if (!holdsSecret(key, String(value))) continue;
          flag(key, ctx.where(['services', name, 'environment', key]));
        }
      } else if (Array.isArray(env)) {
        env.forEach((entry, idx) => {
          if (typeof entry !== 'string') return;
          const eq = entry.indexOf('=');
          if (eq < 0) return; // "- TOKEN" passes the host's value through
          const key = entry.slice(0, eq);
          const value = entry.slice(eq + 1);
          if (!holdsSecret(key, value)) return;
          flag(key, ctx.where(['services', name, 'environment', idx]));
        });
      }
      return out;
    });
  },
};

export const composePrivileged: ComposeRule = {
  id: 'compose/privileged',
  target: 'compose',
  title: 'No privileged containers',
  check(ctx) {
    return eachService(ctx, (name, svc) =>
      svc.privileged === true || svc.privileged === 'true'
        ? {
            id: 'compose/privileged',
            severity: 'error',
            message: `service "${name}" runs privileged: an agent in it has full control of the host`,
            where: ctx.where(['services', name, 'privileged']),
            fix: 'Remove `privileged: true`; grant only what is needed with cap_add or devices.',
          }
        : null,
    );
  },
};

export const composeHostNetwork: ComposeRule = {
  id: 'compose/host-network',
  target: 'compose',
  title: 'No host networking',
  check(ctx) {
    return eachService(ctx, (name, svc) =>
      svc.network_mode === 'host'
        ? {
            id: 'compose/host-network',
            severity: 'warning',
            message: `service "${name}" uses the host's network: every host port and local service is reachable from it`,
            where: ctx.where(['services', name, 'network_mode']),
            fix: 'Remove `network_mode: host` and publish the ports you need under ports:.',
          }
        : null,
    );
  },
};

function isDockerSocket(p: string): boolean {
  return /(^|\/)docker\.sock$/.test(p.replace(/\/+$/, ''));
}

export const composeDockerSocket: ComposeRule = {
  id: 'compose/docker-socket',
  target: 'compose',
  title: 'The Docker socket is not mounted',
  check(ctx) {
    return eachService(ctx, (name, svc) =>
      serviceMounts(ctx.compose, svc, ctx.home)
        .filter((m) => m.type === 'bind' && (isDockerSocket(m.source) || isDockerSocket(m.target)))
        .map((m) => ({
          id: 'compose/docker-socket',
          severity: 'error' as const,
          message: `service "${name}" mounts the Docker socket (${m.source}): that is root on the host`,
          where: ctx.where(['services', name, 'volumes', m.index]),
          fix: 'Remove the docker.sock mount; if the container must start containers, use a socket proxy that allows only what it needs.',
        })),
    );
  },
};

export const composeObsoleteVersion: ComposeRule = {
  id: 'compose/obsolete-version',
  target: 'compose',
  title: 'No obsolete top-level version: key',
  check(ctx) {
    if (!('version' in ctx.compose.root)) return [];
    return [
      {
        id: 'compose/obsolete-version',
        severity: 'warning',
        message: 'the top-level `version:` key is obsolete and ignored by docker compose',
        where: ctx.where(['version'], 'key'),
        fix: 'Delete the `version:` line.',
      },
    ];
  },
};

export const composeLogRotation: ComposeRule = {
  id: 'compose/log-rotation',
  target: 'compose',
  title: 'json-file logs are rotated (logging.options.max-size)',
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      const logging = isRecord(svc.logging) ? svc.logging : {};
      const driver = logging.driver === undefined ? 'json-file' : String(logging.driver);
      if (driver !== 'json-file') return null; // local rotates by itself; others ship logs away
      const opts = isRecord(logging.options) ? logging.options : {};
      if (opts['max-size'] !== undefined) return null;
      return {
        id: 'compose/log-rotation',
        severity: 'warning',
        message: `service "${name}" logs to json-file without max-size: its log grows until the disk is full`,
        where: ctx.where(['services', name, ...(svc.logging ? ['logging'] : [])], 'key'),
        fix: 'Add logging: { driver: json-file, options: { max-size: "10m", max-file: "3" } }.',
      };
    });
  },
};

/** Where well-known images keep their data. */
const DATA_DIRS: { images: string[]; dirs: string[]; env?: string }[] = [
  { images: ['postgres', 'postgis', 'timescaledb', 'pgvector'], dirs: ['/var/lib/postgresql/data'], env: 'PGDATA' },
  { images: ['mysql', 'mariadb', 'percona', 'percona-server'], dirs: ['/var/lib/mysql'] },
  { images: ['mongo', 'mongodb', 'mongodb-community-server'], dirs: ['/data/db'] },
  { images: ['redis', 'valkey', 'redis-stack', 'redis-stack-server'], dirs: ['/data'] },
  { images: ['elasticsearch'], dirs: ['/usr/share/elasticsearch/data'] },
  { images: ['opensearch'], dirs: ['/usr/share/opensearch/data'] },
  { images: ['rabbitmq'], dirs: ['/var/lib/rabbitmq'] },
  { images: ['clickhouse-server', 'clickhouse'], dirs: ['/var/lib/clickhouse'] },
  { images: ['neo4j'], dirs: ['/data'] },
  { images: ['influxdb'], dirs: ['/var/lib/influxdb2'] },
  { images: ['qdrant'], dirs: ['/qdrant/storage'] },
  { images: ['minio'], dirs: ['/data'] },
];

/** Known data directories of a service's image (PGDATA-style overrides honoured). */
export function knownDataDirs(image: string, env: Record<string, string>): string[] {
  const base = imageBaseName(image);
  const entry = DATA_DIRS.find((d) => d.images.includes(base));
  if (!entry) return [];
  if (entry.env && env[entry.env]) return [env[entry.env]!];
  return entry.dirs;
}

/** The mount that holds `dir`: one on the directory itself or on a parent of it. */
export function mountCovering<M extends { target: string }>(mounts: M[], dir: string): M | undefined {
  const d = dir.replace(/\/+$/, '');
  return mounts
    .filter((m) => {
      const t = m.target.replace(/\/+$/, '') || '/';
      return t === d || d.startsWith(t === '/' ? '/' : t + '/');
    })
    .sort((a, b) => b.target.length - a.target.length)[0];
}

function envRecord(ctx: ComposeCtx, svc: Service): Record<string, string> {
  const out: Record<string, string> = {};
  const env = svc.environment;
  if (isRecord(env)) for (const [k, v] of Object.entries(env)) out[k] = ctx.compose.expand(v) ?? '';
  else if (Array.isArray(env))
    for (const e of env) {
      const s = String(e);
      const eq = s.indexOf('=');
      if (eq > 0) out[s.slice(0, eq)] = ctx.compose.expand(s.slice(eq + 1)) ?? '';
    }
  return out;
}

export const composeDataVolume: ComposeRule = {
  id: 'compose/data-volume',
  target: 'compose',
  title: "Databases keep their data directory on a named volume or bind mount",
  check(ctx) {
    return eachService(ctx, (name, svc) => {
      const image = ctx.compose.expand(svc.image);
      if (!image) return null;
      const mounts = serviceMounts(ctx.compose, svc, ctx.home);
      const out: Finding[] = [];
      for (const dir of knownDataDirs(image, envRecord(ctx, svc))) {
        // A mount on the data dir's parent (postgres: /var/lib/postgresql) also holds it.
        const m: Mount | undefined = mountCovering(mounts, dir) ?? mounts.find((x) => x.target.startsWith(dir + '/'));
        if (m && m.type !== 'tmpfs' && (m.type !== 'volume' || m.source)) continue;
        const what = !m ? 'is not on a volume' : m.type === 'tmpfs' ? 'is on tmpfs (memory)' : 'is on an anonymous volume';
        out.push({
          id: 'compose/data-volume',
          severity: !m || m.type === 'tmpfs' ? 'error' : 'warning',
          message: `service "${name}" (${imageBaseName(image)}): data directory ${dir} ${what}; it is lost when the container is recreated`,
          where: !m ? ctx.where(['services', name], 'key') : m.index < 0 ? ctx.where(['services', name, 'tmpfs'], 'key') : ctx.where(['services', name, 'volumes', m.index]),
          fix: `Mount a named volume: \`volumes: [${name}-data:${dir}]\` and declare ${name}-data under the top-level volumes:.`,
        });
      }
      return out;
    });
  },
};

export const composeRules: ComposeRule[] = [
  composeValid,
  composeObsoleteVersion,
  composeImagePinned,
  composeHealthcheck,
  composeResourceLimits,
  composeRestartPolicy,
  composeLogRotation,
  composeInlineSecrets,
  composePrivileged,
  composeHostNetwork,
  composeDockerSocket,
  composeDataVolume,
];
