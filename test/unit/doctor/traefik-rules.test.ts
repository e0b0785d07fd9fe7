// Traefik rules against a compose file with every mistake of the "not reachable via Traefik"
// checklist (each named with its line) and one that does everything right; across projects
// with another known project that claims the same router name and host.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ComposeFile, type PathSeg } from '../../../src/ops/compose/file.js';
import type { ProjectCtx } from '../../../src/ops/doctor/context.js';
import { traefikRules } from '../../../src/ops/doctor/rules/traefik.js';
import type { Finding } from '../../../src/ops/doctor/types.js';
import { ruleHosts, ruleProblem } from '../../../src/ops/proxy/traefik.js';
import { FIXTURES } from './helpers.js';

const load = (f: string) => ComposeFile.load(path.join(FIXTURES, 'traefik', f), {});

function ctx(file: string, others: string[] = []): ProjectCtx {
  const compose = load(file);
  return {
    name: compose.projectName(),
    dir: path.join(FIXTURES, 'traefik'),
    compose,
    display: file,
    where: (segs: PathSeg[], which?: 'value' | 'key') => ({ file, ...compose.yaml.locate(segs, which) }),
    others: others.map((o) => ({ name: load(o).projectName(), compose: load(o) })),
  };
}

async function findings(c: ProjectCtx): Promise<Finding[]> {
  const out: Finding[] = [];
  for (const r of traefikRules) out.push(...(await r.check(c)));
  return out;
}

const line = (f: Finding) => `${f.id} ${f.severity} ${(f.where as { line: number }).line}`;

describe('Traefik rules', () => {
  it('names every mistake of the checklist with its line', async () => {
    const f = await findings(ctx('fail.yaml'));
    expect(f.map(line).sort()).toEqual(
      [
        'traefik/enable error 17', // noenable: labels, no traefik.enable (Traefik: exposedbydefault=false)
        'traefik/rule error 24', // quotes: Host("…")
        'traefik/network error 25', // isolated: not on proxy
        'traefik/port warning 38', // wrongport: 8080, exposes 80
        'traefik/entrypoint error 46', // badentry: entrypoint https
        'traefik/entrypoint error 47', // badentry: cert resolver letsencrypt
        'traefik/label-secrets warning 55', // secret: basicauth users
        'traefik/network warning 59', // twin: two networks, no traefik.docker.network
        'traefik/unique error 37', // wrongport's router name, also twin's
        'traefik/unique error 62', // twin's router name, also wrongport's
        'traefik/unique warning 37', // wrongport.example.com, also twin's
        'traefik/unique warning 62',
      ].sort(),
    );
    const by = (id: string) => f.filter((x) => x.id === id).map((x) => x.message);
    expect(by('traefik/rule')[0]).toBe('quotes: router quotes: Host("quotes.example.com"): arguments go in backticks, e.g. Host(`app.example.com`)');
    expect(by('traefik/network')[0]).toBe('isolated is on shop_default, Traefik (traefik) on proxy: Traefik cannot reach it (Gateway Timeout)');
    expect(by('traefik/port')[0]).toBe('wrongport: loadbalancer.server.port=8080, but the service has 80: requests go to a port nothing listens on (Bad Gateway)');
    expect(by('traefik/entrypoint')).toEqual([
      'badentry: router badentry uses entrypoint https, which Traefik does not define (it has web, websecure)',
      'badentry: router badentry uses cert resolver letsencrypt, which Traefik does not define (it has le)',
    ]);
    expect(f.every((x) => x.fix.length > 10)).toBe(true);
  });

  it('passes a service that does everything right', async () => {
    expect(await findings(ctx('pass.yaml'))).toEqual([]);
  });

  it('finds a router name and a host that another known project claims too', async () => {
    const f = await findings(ctx('pass.yaml', ['other.yaml']));
    expect(f.map((x) => `${x.id} ${x.severity} ${x.message}`)).toEqual([
      'traefik/unique error app: router shop-app is also defined by web (project blog): Traefik merges their labels or drops the router',
      'traefik/unique warning app: Host app.example.com is also claimed by web (project blog): which one gets the requests depends on rule priority',
    ]);
  });
});

describe('router rules', () => {
  it.each([
    ['Host(`a.example.com`)', null],
    ['Host(`a.example.com`) && (PathPrefix(`/api`) || Path(`/health`))', null],
    ['Host(`a.example.com`, `b.example.com`)', null],
    ["Host('a.example.com')", "Host('a.example.com'): arguments go in backticks, e.g. Host(`app.example.com`)"],
    ['Host(a.example.com)', 'Host(a.example.com): arguments go in backticks, e.g. Host(`app.example.com`)'],
    ['Hots(`a.example.com`)', 'unknown matcher Hots() (Traefik knows Host, HostRegexp, Path, PathPrefix, PathRegexp, Method …)'],
    ['Host(`a.example.com`', 'a ( is not closed'],
    ['a.example.com', 'no matcher such as Host(`app.example.com`)'],
  ])('%s', (rule, problem) => {
    expect(ruleProblem(rule)).toBe(problem);
  });
  it('reads the hosts a rule claims', () => {
    expect(ruleHosts('Host(`A.example.com`, `b.example.com`) || HostSNI(`c.example.com`)')).toEqual(['a.example.com', 'b.example.com', 'c.example.com']);
  });
});
