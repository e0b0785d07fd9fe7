// The Dockerfile reader: continuations, comments, directives, heredocs, line numbers.
import { describe, expect, it } from 'vitest';
import { expandArgs, keyValues, parseDockerfile, splitArgs, takeFlags } from '../../../src/ops/doctor/dockerfile.js';

describe('parseDockerfile', () => {
  it('joins continuation lines and keeps the first and last line numbers', () => {
    const p = parseDockerfile(['FROM debian:12.11-slim', '', 'RUN apt-get update \\', '    && apt-get install -y curl \\', '    && rm -rf /var/lib/apt/lists/*', 'USER 1000'].join('\n'));
    expect(p.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 3, 5],
      ['USER', 6, 6],
    ]);
    expect(p.instructions[1]!.args).toBe('apt-get update      && apt-get install -y curl      && rm -rf /var/lib/apt/lists/*');
  });

  it('drops comment and blank lines inside a continuation, as the builder does', () => {
    const p = parseDockerfile(['FROM alpine:3.20.1', 'RUN echo a \\', '# a comment in the middle', '', '    && echo b', 'CMD ["sh"]'].join('\n'));
    expect(p.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 2, 5],
      ['CMD', 6, 6],
    ]);
    expect(p.instructions[1]!.args).not.toContain('comment');
    expect(p.instructions[1]!.lines.map((l) => l.line)).toEqual([2, 5]);
  });

  it('honours the escape directive (backtick, as on Windows)', () => {
    const p = parseDockerfile(['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN dir `', '    C:\\'].join('\n'));
    expect(p.escape).toBe('`');
    expect(p.instructions[1]!.args).toBe('dir      C:\\');
    expect(p.instructions[1]!.endLine).toBe(4);
  });

  it('reads a directive only at the top; later it is a comment', () => {
    const p = parseDockerfile(['FROM alpine:3.20.1', '# escape=`', 'RUN echo a \\', '  b'].join('\n'));
    expect(p.escape).toBe('\\');
    expect(p.instructions[1]!.args).toBe('echo a    b');
  });

  it('attaches heredoc bodies and skips their lines', () => {
    const text = ['FROM debian:12.11-slim', 'RUN <<EOF', 'apt-get update', 'USER root', 'EOF', 'COPY <<-"CONF" /etc/app.conf', '\tkey = value', '\tCONF', 'USER app'].join('\n');
    const p = parseDockerfile(text);
    expect(p.instructions.map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 2, 5],
      ['COPY', 6, 8],
      ['USER', 9, 9],
    ]);
    expect(p.instructions[1]!.heredocs).toEqual(['apt-get update\nUSER root']);
    expect(p.instructions[2]!.heredocs).toEqual(['key = value']);
    expect(p.problems).toEqual([]);
  });

  it('reports an unclosed heredoc and an unreadable line instead of throwing', () => {
    const p = parseDockerfile(['FROM alpine:3.20.1', '{"not": "an instruction"}', 'RUN <<EOF', 'echo never closed'].join('\n'));
    expect(p.problems).toEqual([
      { line: 2, message: 'cannot read "{"not":" as an instruction' },
      { line: 3, message: 'heredoc "EOF" is never closed' },
    ]);
  });

  it('keeps the keyword column and lower-case keywords', () => {
    const p = parseDockerfile('  from alpine:3.20.1\n\tuser nobody\n');
    expect(p.instructions.map((i) => [i.keyword, i.column])).toEqual([
      ['FROM', 3],
      ['USER', 2],
    ]);
  });

  it('handles CRLF line endings and a continuation at the end of the file', () => {
    const p = parseDockerfile('FROM alpine:3.20.1\r\nRUN echo a \\\r\n');
    expect(p.instructions.map((i) => [i.keyword, i.args])).toEqual([
      ['FROM', 'alpine:3.20.1'],
      ['RUN', 'echo a'],
    ]);
  });
});

describe('argument helpers', () => {
  it('splits the JSON form and the shell form with quotes', () => {
    expect(splitArgs('["a file", "/dst/"]')).toEqual(['a file', '/dst/']);
    expect(splitArgs(`--chown=1:1 "a b" 'c d' e`)).toEqual(['--chown=1:1', 'a b', 'c d', 'e']);
    expect(takeFlags(['--platform=linux/amd64', '--link', 'node:22', 'AS', 'x'])).toEqual({ flags: { platform: 'linux/amd64', link: 'true' }, rest: ['node:22', 'AS', 'x'] });
  });

  it('reads ENV/ARG pairs, including the legacy ENV form', () => {
    const p = parseDockerfile('FROM a:1\nENV A=1 B="two words"\nENV LEGACY some value\nARG NAME\n');
    expect(keyValues(p.instructions[1]!)).toEqual([
      { key: 'A', value: '1' },
      { key: 'B', value: 'two words' },
    ]);
    expect(keyValues(p.instructions[2]!)).toEqual([{ key: 'LEGACY', value: 'some value' }]);
    expect(keyValues(p.instructions[3]!)).toEqual([{ key: 'NAME', value: null }]);
  });

  it('expands build args, with defaults, and says when one is unknown', () => {
    const args = new Map<string, string | null>([
      ['BASE', 'node:22.16.0'],
      ['EMPTY', null],
    ]);
    expect(expandArgs('${BASE}', args)).toBe('node:22.16.0');
    expect(expandArgs('$BASE-slim', args)).toBe('node:22.16.0-slim');
    expect(expandArgs('${EMPTY:-debian:12.11}', args)).toBe('debian:12.11');
    expect(expandArgs('${EMPTY}', args)).toBeNull();
    expect(expandArgs('${NOPE}', args)).toBeNull();
  });
});
