// Docker's log stream framing, on bytes recorded from a real engine (20.10):
//   nontty-stdout-stderr.bin  GET /containers/<id>/logs?stdout=1&stderr=1&timestamps=1&tail=6
//                             of a non-TTY container printing to stdout and stderr
//   tty.bin                   the same for a TTY container (no frame headers, \r\n, colours)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FrameDemuxer, LineSplitter, sanitizeLine, splitTimestamp } from '../../../src/engine/logs/demux.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const nontty = fs.readFileSync(path.join(dir, 'nontty-stdout-stderr.bin'));
const tty = fs.readFileSync(path.join(dir, 'tty.bin'));

function demuxAll(chunks: Buffer[]) {
  const d = new FrameDemuxer();
  const sp = { stdout: new LineSplitter(), stderr: new LineSplitter() };
  const lines: Array<{ stream: string; text: string }> = [];
  for (const c of chunks) for (const f of d.push(c)) for (const l of sp[f.stream].push(f.data)) lines.push({ stream: f.stream, text: l });
  return { lines, left: d.buffered };
}

describe('FrameDemuxer on recorded bytes', () => {
  it('separates stdout and stderr lines of a non-TTY container', () => {
    const { lines, left } = demuxAll([nontty]);
    expect(left).toBe(0);
    expect(lines).toHaveLength(6);
    const out = lines.filter((l) => l.stream === 'stdout').map((l) => splitTimestamp(l.text).text);
    const err = lines.filter((l) => l.stream === 'stderr').map((l) => splitTimestamp(l.text).text);
    expect(out.every((t) => /^web line \d+ hello$/.test(t))).toBe(true);
    expect(err.every((t) => /^web err \d+$/.test(t))).toBe(true);
    expect(out).toHaveLength(3);
    expect(err).toHaveLength(3);
    expect(lines.some((l) => l.text.includes('\u0001') || l.text.includes('\u0002'))).toBe(false);
  });

  it('gives the same lines when the bytes arrive one at a time (headers split across chunks)', () => {
    const whole = demuxAll([nontty]).lines;
    const bytes = [...nontty].map((b) => Buffer.from([b]));
    expect(demuxAll(bytes).lines).toEqual(whole);
    // and in uneven chunks of 7 bytes
    const sevens: Buffer[] = [];
    for (let i = 0; i < nontty.length; i += 7) sevens.push(nontty.subarray(i, i + 7));
    expect(demuxAll(sevens).lines).toEqual(whole);
  });

  it('keeps an unfinished frame until its payload is complete', () => {
    const d = new FrameDemuxer();
    expect(d.push(nontty.subarray(0, 20))).toEqual([]);
    expect(d.buffered).toBe(20);
    const frames = d.push(nontty.subarray(20));
    expect(frames[0]!.stream).toBe('stdout');
    expect(frames[0]!.data.toString()).toMatch(/Z web line \d+ hello\n$/);
  });
});

describe('TTY stream and line handling', () => {
  it('splits a TTY stream into lines without \\r and strips colour escapes', () => {
    const sp = new LineSplitter();
    const lines = [...sp.push(tty), ...sp.flush()].map((l) => splitTimestamp(l));
    expect(lines.map((l) => sanitizeLine(l.text))).toEqual(['tty one', 'tty two', 'red    tab']);
    expect(lines[0]!.t).toBe(Date.parse('2026-11-22T10:37:01.860Z'));
    expect(lines[0]!.ts).toBe('2026-11-22T10:37:01.860468839Z');
  });

  it('decodes UTF-8 split across chunks and cuts a line that never ends', () => {
    const sp = new LineSplitter(10);
    const bytes = Buffer.from('héllo wörld\n');
    const out = [...sp.push(bytes.subarray(0, 2)), ...sp.push(bytes.subarray(2))];
    expect(out).toEqual(['héllo wörld']);
    const long = new LineSplitter(10);
    expect(long.push(Buffer.from('x'.repeat(25)))).toEqual(['x'.repeat(10), 'x'.repeat(10)]);
    expect(long.flush()).toEqual(['x'.repeat(5)]);
  });

  it('leaves a line without a timestamp alone', () => {
    expect(splitTimestamp('plain')).toEqual({ t: 0, ts: '', text: 'plain' });
  });
});
