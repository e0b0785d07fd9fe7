// One-line messages for engine errors, on the error objects dockerode really produces
// (docker-modem: message "(HTTP code N) reason - engine message", statusCode, json).
import { describe, expect, it } from 'vitest';
import { describeActionError, describeRemoval, engineMessage } from '../../../src/engine/actions.js';

const modemError = (statusCode: number, reason: string, message: string) =>
  Object.assign(new Error(`(HTTP code ${statusCode}) ${reason} - ${message} `), { statusCode, reason, json: { message } });

const t = { id: 'abc', name: 'web' };

describe('action errors', () => {
  it('names the container and gives the engine message on one line', () => {
    const e = modemError(409, 'unexpected', 'You cannot remove a running container abc. Stop the container before attempting removal or force remove');
    expect(describeActionError(e, t, 'remove')).toBe('web: remove failed: You cannot remove a running container abc. Stop the container before attempting removal or force remove');
  });

  it('a vanished container and a no-op are said plainly', () => {
    expect(describeActionError(modemError(404, 'no such container', 'No such container: abc'), t, 'restart')).toBe('web: no longer exists (removed meanwhile); nothing to restart');
    expect(describeActionError(modemError(304, 'container already started', ''), t, 'start')).toBe('web: already running');
    expect(describeActionError(modemError(304, 'container already stopped', ''), t, 'stop')).toBe('web: already stopped');
  });

  it('falls back to the message text, and to connection errors', () => {
    expect(engineMessage(new Error('(HTTP code 500) server error - something broke\nmore'))).toBe('something broke');
    expect(engineMessage(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe('connection refused (is dockerd running?)');
  });

  it('describes a removal exactly, with and without volumes and force', () => {
    const previews = [
      { target: t, exists: true, running: true, anonymousVolumes: ['0123456789ab'], keptMounts: ['data → /var/lib/db'] },
      { target: { id: 'x', name: 'gone' }, exists: false, running: false, anonymousVolumes: [], keptMounts: [] },
    ];
    expect(describeRemoval(previews, {})).toEqual([
      'container web (running): refused unless forced',
      '  anonymous volume 0123456789ab: kept',
      '  data → /var/lib/db: kept',
      'gone: no longer exists',
    ]);
    expect(describeRemoval(previews, { force: true, volumes: true }).slice(0, 2)).toEqual(['container web (running)', '  anonymous volume 0123456789ab: removed']);
  });
});
