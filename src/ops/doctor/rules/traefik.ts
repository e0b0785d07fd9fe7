// Traefik routing, checked the way the "container not reachable via Traefik" checklist goes:
// is the service enabled, is its router rule valid (backticks), is it on a network the Traefik
// container is on, does the load balancer port match a port the service has, are its
// entrypoints and cert resolvers ones Traefik's command line defines, are there credentials
// in labels, and is a router name or a Host claimed twice (here or in another known project).
import { isSecretName, isSecretValue } from '../../../lib/secrets.js';
import type { ComposeFile, PathSeg } from '../../compose/file.js';
import { containerPorts, ruleHosts, ruleProblem, serviceNetworks, traefikInstances, traefikLabels, type Label, type TraefikInstance, type TraefikLabels } from '../../proxy/traefik.js';
import type { ProjectCtx } from '../context.js';
import type { Finding, Rule, Severity } from '../types.js';

type ProjectRule = Rule<ProjectCtx>;

interface Routed {
  service: string;
  t: TraefikLabels;
}

/** This project's services that carry traefik.* labels (Traefik itself left out). */
function routed(ctx: ProjectCtx): Routed[] {
  const traefik = new Set(traefikInstances(ctx.name, ctx.compose).map((i) => i.service));
  return Object.entries(ctx.compose.services)
    .filter(([name]) => !traefik.has(name))
    .map(([service, svc]) => ({ service, t: traefikLabels(ctx.compose, service, svc) }))
    .filter((r) => r.t.traefik.length > 0);
}

/** Traefik containers this project and the other known projects define. */
function instances(ctx: ProjectCtx): TraefikInstance[] {
  return [...traefikInstances(ctx.name, ctx.compose), ...ctx.others.flatMap((o) => traefikInstances(o.name, o.compose))];
}

const enabled = (t: TraefikLabels) => t.enable?.value.toLowerCase() !== 'false';

function finding(ctx: ProjectCtx, id: string, severity: Severity, segs: PathSeg[], message: string, fix: string, which: 'value' | 'key' = 'value'): Finding {
  return { id, severity, message, fix, where: ctx.where(segs, which) };
}

const at = (l: Label) => l.segs;

export const traefikEnable: ProjectRule = {
  id: 'traefik/enable',
  target: 'project',
  title: 'Services with Traefik labels say traefik.enable=true',
  check(ctx) {
    const out: Finding[] = [];
    const strict = instances(ctx).some((i) => !i.exposedByDefault);
    for (const { service, t } of routed(ctx)) {
      const others = t.traefik.filter((l) => l !== t.enable);
      if (t.enable && t.enable.value.toLowerCase() === 'false') {
        if (others.length) out.push(finding(ctx, 'traefik/enable', 'warning', at(t.enable), `${service}: traefik.enable=false, so Traefik ignores its ${others.length} other traefik label(s)`, 'Set traefik.enable=true, or remove the labels.'));
      } else if (!t.enable || t.enable.value.toLowerCase() !== 'true') {
        const severity: Severity = strict ? 'error' : 'info';
        const why = strict ? 'Traefik runs with --providers.docker.exposedbydefault=false, so it ignores this service' : 'Traefik setups usually run with exposedbydefault=false, which ignores it';
        out.push(finding(ctx, 'traefik/enable', severity, ['services', service, 'labels'], `${service} has traefik labels but no traefik.enable=true: ${why}`, 'Add the label traefik.enable=true.'));
      }
    }
    return out;
  },
};

export const traefikRule: ProjectRule = {
  id: 'traefik/rule',
  target: 'project',
  title: 'Router rules are valid: known matchers, arguments in backticks',
  check(ctx) {
    const out: Finding[] = [];
    for (const { service, t } of routed(ctx)) {
      if (!enabled(t)) continue;
      for (const r of t.routers) {
        if (!r.rule) {
          if (r.kind !== 'udp') out.push(finding(ctx, 'traefik/rule', 'error', at(r.first), `${service}: router ${r.name} has no rule, so no request reaches it`, `Add traefik.${r.kind}.routers.${r.name}.rule=Host(\`app.example.com\`).`));
          continue;
        }
        const problem = ruleProblem(r.rule.value);
        if (problem) out.push(finding(ctx, 'traefik/rule', 'error', at(r.rule), `${service}: router ${r.name}: ${problem}`, 'Write the rule as Host(`app.example.com`) (backticks; && and || combine matchers).'));
      }
    }
    return out;
  },
};

export const traefikNetwork: ProjectRule = {
  id: 'traefik/network',
  target: 'project',
  title: 'Routed services share a network with the Traefik container',
  check(ctx) {
    const out: Finding[] = [];
    const proxies = instances(ctx);
    if (!proxies.length) return out;
    const reachable = new Set(proxies.flatMap((p) => p.networks));
    const names = proxies.map((p) => `${p.service}${p.project === ctx.name ? '' : ` (project ${p.project})`}`).join(', ');
    for (const { service, t } of routed(ctx)) {
      if (!enabled(t) || !t.routers.length) continue;
      const mine = serviceNetworks(ctx.compose, ctx.compose.services[service]!);
      const shared = mine.filter((n) => reachable.has(n));
      if (!shared.length) {
        out.push(finding(ctx, 'traefik/network', 'error', ['services', service], `${service} is on ${mine.join(', ') || 'no network'}, Traefik (${names}) on ${[...reachable].join(', ')}: Traefik cannot reach it (Gateway Timeout)`, `Put ${service} on Traefik's network too (networks: [${[...reachable][0]}], declared external at the top level).`, 'key'));
        continue;
      }
      if (t.network && !mine.includes(t.network.value)) {
        out.push(finding(ctx, 'traefik/network', 'error', at(t.network), `${service}: traefik.docker.network=${t.network.value} is not one of its networks (${mine.join(', ')})`, `Name the network it shares with Traefik: traefik.docker.network=${shared[0]}.`));
      } else if (!t.network && mine.length > 1 && !proxies.some((p) => p.network && mine.includes(p.network))) {
        out.push(finding(ctx, 'traefik/network', 'warning', ['services', service, 'networks'], `${service} is on ${mine.length} networks and nothing says which one Traefik should use: it may pick one it is not on`, `Add the label traefik.docker.network=${shared[0]}.`));
      }
    }
    return out;
  },
};

export const traefikPort: ProjectRule = {
  id: 'traefik/port',
  target: 'project',
  title: "loadbalancer.server.port is a port the service has",
  check(ctx) {
    const out: Finding[] = [];
    for (const { service, t } of routed(ctx)) {
      if (!enabled(t) || !t.routers.some((r) => r.kind === 'http')) continue;
      const ports = containerPorts(ctx.compose, ctx.compose.services[service]!);
      const list = [...ports].sort((a, b) => a - b).join(', ');
      if (!t.ports.length) {
        if (ports.size !== 1) out.push(finding(ctx, 'traefik/port', 'warning', ['services', service, 'labels'], `${service}: no loadbalancer.server.port, and the service ${ports.size ? `has ${ports.size} ports (${list})` : 'declares no port (expose/ports)'}: Traefik cannot tell where to send requests`, `Add traefik.http.services.${service}.loadbalancer.server.port=<the port the app listens on>.`));
        continue;
      }
      for (const p of t.ports) {
        const n = Number(p.label.value);
        if (!Number.isInteger(n) || n < 1 || n > 65535) out.push(finding(ctx, 'traefik/port', 'error', at(p.label), `${service}: loadbalancer.server.port=${p.label.value} is not a port number`, 'Give the port the app listens on inside the container, e.g. 8080.'));
        else if (ports.size && !ports.has(n)) out.push(finding(ctx, 'traefik/port', 'warning', at(p.label), `${service}: loadbalancer.server.port=${n}, but the service has ${list}: requests go to a port nothing listens on (Bad Gateway)`, `Use the port the app listens on (${list}), or expose ${n}.`));
      }
    }
    return out;
  },
};

export const traefikEntrypoint: ProjectRule = {
  id: 'traefik/entrypoint',
  target: 'project',
  title: "Routers use entrypoints and cert resolvers Traefik's command line defines",
  check(ctx) {
    const out: Finding[] = [];
    const defined = instances(ctx).filter((i) => i.entrypoints !== null);
    if (!defined.length) return out; // Traefik configured by a file berth does not read
    const eps = new Set(defined.flatMap((i) => [...i.entrypoints!]));
    const resolvers = new Set(defined.flatMap((i) => [...i.resolvers!]));
    for (const { service, t } of routed(ctx)) {
      if (!enabled(t)) continue;
      for (const r of t.routers) {
        for (const ep of (r.entrypoints?.value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
          if (!eps.has(ep)) out.push(finding(ctx, 'traefik/entrypoint', 'error', at(r.entrypoints!), `${service}: router ${r.name} uses entrypoint ${ep}, which Traefik does not define (it has ${[...eps].join(', ') || 'none'})`, `Use one of ${[...eps].join(', ')}, or add --entrypoints.${ep}.address=… to Traefik's command.`));
        }
        const cr = r.certresolver?.value;
        if (cr && !resolvers.has(cr)) out.push(finding(ctx, 'traefik/entrypoint', 'error', at(r.certresolver!), `${service}: router ${r.name} uses cert resolver ${cr}, which Traefik does not define (it has ${[...resolvers].join(', ') || 'none'})`, `Use ${[...resolvers][0] ?? 'a defined resolver'}, or add --certificatesresolvers.${cr}.acme… to Traefik's command.`));
      }
    }
    return out;
  },
};

export const traefikSecrets: ProjectRule = {
  id: 'traefik/label-secrets',
  target: 'project',
  title: 'No credentials in Traefik labels',
  check(ctx) {
    const out: Finding[] = [];
    for (const { service, t } of routed(ctx)) {
      for (const l of t.traefik) {
        const last = l.key.split('.').pop() ?? '';
        const auth = /\.(basicauth|digestauth)\.users$/i.test(l.key);
        if (!auth && !isSecretName(last) && !isSecretValue(l.value)) continue;
        out.push(finding(ctx, 'traefik/label-secrets', 'warning', at(l), `${service}: ${l.key} holds credentials in a label: anyone who can run docker inspect reads them`, auth ? `Use ${l.key.replace(/users$/i, 'usersfile')}=/run/secrets/… with a compose secret.` : 'Move the value into a secret file and point Traefik at it.'));
      }
    }
    return out;
  },
};

interface Claim {
  project: string;
  service: string;
  router: string;
  hosts: string[];
  label: Label | null;
}

function claimsOf(project: string, compose: ComposeFile): Claim[] {
  const skip = new Set(traefikInstances(project, compose).map((i) => i.service));
  const out: Claim[] = [];
  for (const [service, svc] of Object.entries(compose.services)) {
    if (skip.has(service)) continue;
    const t = traefikLabels(compose, service, svc);
    if (!enabled(t)) continue;
    for (const r of t.routers) out.push({ project, service, router: `${r.kind}/${r.name}`, hosts: r.rule ? ruleHosts(r.rule.value) : [], label: r.rule ?? r.first });
  }
  return out;
}

export const traefikUnique: ProjectRule = {
  id: 'traefik/unique',
  target: 'project',
  title: 'Router names and Host rules are claimed once (across known projects)',
  check(ctx) {
    const out: Finding[] = [];
    const mine = claimsOf(ctx.name, ctx.compose);
    const all = [...mine, ...ctx.others.flatMap((o) => claimsOf(o.name, o.compose))];
    const where = (c: Claim) => `${c.service}${c.project === ctx.name ? '' : ` (project ${c.project})`}`;
    for (const c of mine) {
      const same = all.filter((o) => o !== c && o.router === c.router);
      if (same.length) out.push(finding(ctx, 'traefik/unique', 'error', at(c.label!), `${c.service}: router ${c.router.split('/')[1]} is also defined by ${same.map(where).join(', ')}: Traefik merges their labels or drops the router`, `Name routers after project and service, e.g. ${ctx.name}-${c.service}.`));
      for (const h of c.hosts) {
        const rivals = all.filter((o) => o !== c && o.service !== c.service && o.hosts.includes(h));
        if (rivals.length) out.push(finding(ctx, 'traefik/unique', 'warning', at(c.label!), `${c.service}: Host ${h} is also claimed by ${rivals.map(where).join(', ')}: which one gets the requests depends on rule priority`, 'Give each service its own host, or set router priorities on purpose.'));
      }
    }
    return out;
  },
};

export const traefikRules: ProjectRule[] = [traefikEnable, traefikRule, traefikNetwork, traefikPort, traefikEntrypoint, traefikSecrets, traefikUnique];
