// Compose-file reading: interpolation, .env files, locating keys, ports, mounts, volumes.
import { describe, expect, it } from 'vitest';
import { findVarRefs, interpolate, isOnlyReferences, parseDotenv } from '../../../src/ops/compose/env.js';
import { ComposeFile, namedVolumes, normalizeProjectName, normalizeProjectNameV1, publishedPorts, serviceMounts } from '../../../src/ops/compose/file.js';

describe('interpolation', () => {
  const env = { A: 'a', EMPTY: '', PORT: '8080' };
  it('expands the compose forms', () => {
    expect(interpolate('${A}/$A/${NOPE}', env)).toBe('a/a/');
    expect(interpolate('${EMPTY:-d} ${EMPTY-d} ${NOPE-d}', env)).toBe('d  d');
    expect(interpolate('${A:+set} ${EMPTY:+set} ${EMPTY+set}', env)).toBe('set  set');
    expect(interpolate('cost: $$5 ${NOPE:-${PORT}}', env)).toBe('cost: $5 8080');
  });
  it('throws for a missing required variable', () => {
    expect(() => interpolate('${NOPE:?set NOPE in .env}', env)).toThrow('required variable NOPE is missing a value: set NOPE in .env');
    expect(() => interpolate('${EMPTY:?}', env)).toThrow(/EMPTY/);
    expect(interpolate('${EMPTY?}', env)).toBe('');
  });
  it('finds references with offsets, nested ones too', () => {
    expect(findVarRefs('x ${A:-${B}} $C $$D').map((r) => [r.name, r.index, r.length, r.hasDefault])).toEqual([
      ['A', 2, 10, true],
      ['B', 7, 4, false],
      ['C', 13, 2, false],
    ]);
  });
  it('tells a pure reference from a literal', () => {
    expect(isOnlyReferences('${TOKEN}')).toBe(true);
    expect(isOnlyReferences(' $TOKEN ')).toBe(true);
    expect(isOnlyReferences('${A}${B:-x}')).toBe(true);
    expect(isOnlyReferences('Bearer ${TOKEN}')).toBe(false);
    expect(isOnlyReferences('hunter2')).toBe(false);
    expect(isOnlyReferences('$$TOKEN')).toBe(false);
  });
});

describe('.env files', () => {
  it('reads KEY=VALUE, export, quotes, comments and line numbers', () => {
    const m = parseDotenv('# comment\nA=1\nexport B="two # words"\nC=three # note\nD=\n  E = \'x y\'\nnot a line\n');
    expect(Object.fromEntries([...m].map(([k, v]) => [k, `${v.value}@${v.line}`]))).toEqual({
      A: '1@2',
      B: 'two # words@3',
      C: 'three@4',
      D: '@5',
      E: 'x y@6',
    });
  });
});

describe('ComposeFile', () => {
  const text = [
    'x-log: &log',
    '  driver: json-file',
    'services:',
    '  web:',
    '    logging: *log',
    '    image: nginx:1.27.0',
    '    ports:',
    '      - "[::1]:8443:443"',
    '      - "127.0.0.1:8000-8001:8000-8001/udp"',
    '      - "9000"',
    '    volumes:',
    '      - ./src:/app/src:ro',
    '      - ~/.claude:/home/agent/.claude',
    '      - data:/data',
    '      - /anon',
    'volumes:',
    '  data:',
    '  shared:',
    '    external: true',
    '  named:',
    '    name: my-named-volume',
  ].join('\n');
  const c = new ComposeFile('/proj/My Project/compose.yaml', text, {});
  const web = c.services.web!;

  it('locates keys and values, through aliases, and falls back to the nearest parent', () => {
    expect(c.yaml.locate(['services', 'web', 'image'])).toEqual({ line: 6, column: 12 });
    expect(c.yaml.locate(['services', 'web', 'image'], 'key')).toEqual({ line: 6, column: 5 });
    expect(c.yaml.locate(['services', 'web', 'logging', 'driver'])).toEqual({ line: 2, column: 11 });
    expect(c.yaml.locate(['services', 'web', 'ports', 1])).toEqual({ line: 9, column: 9 });
    expect(c.yaml.locate(['services', 'web', 'healthcheck', 'test'])).toEqual({ line: 4, column: 3 });
    expect(c.yaml.locateInside(['services', 'web', 'ports', 1], '8000')).toEqual({ line: 9, column: 20 });
  });

  it('reads published ports (IPv6, ranges, protocols; ephemeral ones left out)', () => {
    expect(publishedPorts(c, web).map((p) => `${p.hostIp}|${p.hostPort}/${p.protocol}`)).toEqual(['::1|8443/tcp', '127.0.0.1|8000/udp', '127.0.0.1|8001/udp']);
  });

  it('reads mounts, resolving ~ and relative bind sources', () => {
    expect(serviceMounts(c, web, '/home/me').map((m) => `${m.type}:${m.source}:${m.target}${m.readOnly ? ':ro' : ''}`)).toEqual([
      'bind:/proj/My Project/src:/app/src:ro',
      'bind:/home/me/.claude:/home/agent/.claude',
      'volume:data:/data',
      'volume::/anon',
    ]);
  });

  it('names the project and its volumes as compose does', () => {
    expect(c.projectName()).toBe('myproject');
    expect(normalizeProjectName('My-Project_2')).toBe('my-project_2');
    expect(normalizeProjectNameV1('My-Project_2')).toBe('myproject2');
    expect(namedVolumes(c)).toEqual([
      { key: 'data', name: 'myproject_data', external: false },
      { key: 'shared', name: 'shared', external: true },
      { key: 'named', name: 'my-named-volume', external: false },
    ]);
  });

  it('reports duplicate keys and bad YAML as errors with positions', () => {
    const bad = new ComposeFile('/p/compose.yaml', 'services:\n  a:\n    image: x:1\n  a:\n    image: y:1\n');
    expect(bad.valid).toBe(false);
    expect(bad.yaml.errors[0]).toMatchObject({ line: 4, column: 3 });
    const unclosed = new ComposeFile('/p/compose.yaml', 'services:\n  a:\n    image: "x:1\n');
    expect(unclosed.valid).toBe(false);
    expect(unclosed.yaml.errors[0]!.line).toBeGreaterThanOrEqual(3);
  });
});
