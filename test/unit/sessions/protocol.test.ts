// The session socket's framing: frames survive any split of the byte stream.
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader, MSG } from '../../../src/sessions/protocol.js';
import { exitLine } from '../../../src/sessions/client.js';

describe('session protocol frames', () => {
  it('come out whole however the stream is cut, several per chunk or one byte at a time', () => {
    const frames = [encodeFrame(MSG.hello, '{"v":1,"op":"list"}'), encodeFrame(MSG.input, Buffer.from([0x02, 0x64])), encodeFrame(MSG.output, 'é\x1b[1;1H'), encodeFrame(MSG.exit, '')];
    const stream = Buffer.concat(frames);
    const expected = [
      [MSG.hello, '{"v":1,"op":"list"}'],
      [MSG.input, '\x02d'],
      [MSG.output, 'é\x1b[1;1H'],
      [MSG.exit, ''],
    ];
    for (const cut of [1, 2, 3, 7, stream.length]) {
      const r = new FrameReader();
      const got: Array<[number, string]> = [];
      for (let i = 0; i < stream.length; i += cut) for (const f of r.push(stream.subarray(i, i + cut))) got.push([f.type, f.payload.toString('utf8')]);
      expect(got).toEqual(expected);
    }
  });

  it('refuses a frame that claims to be enormous instead of buffering it', () => {
    const head = Buffer.from([MSG.output, 0xff, 0xff, 0xff, 0xff]);
    expect(() => new FrameReader().push(head)).toThrow(/too large/);
  });

  it('words the client exit lines as tmux does', () => {
    expect(exitLine({ reason: 'detach', name: 'shop' })).toBe('[detached (from session shop)]');
    expect(exitLine({ reason: 'taken', name: 'shop' })).toBe('[detached (from session shop): attached from another terminal]');
    expect(exitLine({ reason: 'empty', name: 'shop' })).toBe('[exited]');
  });
});
