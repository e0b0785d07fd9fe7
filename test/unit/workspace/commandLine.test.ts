// The C-b : command line: tmux commands and aliases mapped onto the workspace; errors in one line.
import { describe, expect, it } from 'vitest';
import { completeCommand, parseCommandLine } from '../../../src/workspace/commandLine.js';

describe('parseCommandLine', () => {
  it('maps tmux commands and their aliases', () => {
    expect(parseCommandLine('select-layout main-vertical')).toEqual({ ok: true, action: { type: 'layout', layout: 'main-vertical' } });
    expect(parseCommandLine('selectl -n')).toEqual({ ok: true, action: { type: 'command', command: 'next-layout' } });
    expect(parseCommandLine('splitw -h')).toEqual({ ok: true, action: { type: 'command', command: 'split-right' } });
    expect(parseCommandLine('split-window')).toEqual({ ok: true, action: { type: 'command', command: 'split-below' } });
    expect(parseCommandLine('resize-pane -L 10')).toEqual({ ok: true, action: { type: 'command', command: 'resize-left', arg: '10' } });
    expect(parseCommandLine('resizep -D')).toEqual({ ok: true, action: { type: 'command', command: 'resize-down' } });
    expect(parseCommandLine('killp')).toEqual({ ok: true, action: { type: 'command', command: 'kill-pane' } });
    expect(parseCommandLine('select-pane -t 2')).toEqual({ ok: true, action: { type: 'command', command: 'select-pane', arg: '2' } });
    expect(parseCommandLine('selectp -L')).toEqual({ ok: true, action: { type: 'command', command: 'focus-left' } });
    expect(parseCommandLine('select-pane -T "db shell"')).toEqual({ ok: true, action: { type: 'title', title: 'db shell' } });
    expect(parseCommandLine('resize-pane -Z')).toEqual({ ok: true, action: { type: 'command', command: 'zoom' } });
    expect(parseCommandLine('detach')).toEqual({ ok: true, action: { type: 'command', command: 'detach' } });
    expect(parseCommandLine('send-prompt cc: review the diff')).toEqual({ ok: true, action: { type: 'send', text: 'cc: review the diff' } });
    expect(parseCommandLine('swapp -U')).toEqual({ ok: true, action: { type: 'command', command: 'swap-previous' } });
    expect(parseCommandLine('swap-pane -D')).toEqual({ ok: true, action: { type: 'command', command: 'swap-next' } });
    expect(parseCommandLine('choose-tree')).toEqual({ ok: true, action: { type: 'command', command: 'choose-tree' } });
    expect(parseCommandLine('displayp')).toEqual({ ok: true, action: { type: 'command', command: 'display-panes' } });
    // windows
    expect(parseCommandLine('neww')).toEqual({ ok: true, action: { type: 'command', command: 'new-window' } });
    expect(parseCommandLine('select-window -t 1')).toEqual({ ok: true, action: { type: 'command', command: 'select-window', arg: '1' } });
    expect(parseCommandLine('selectw -n')).toEqual({ ok: true, action: { type: 'command', command: 'next-window' } });
    expect(parseCommandLine('renamew "db work"')).toEqual({ ok: true, action: { type: 'command', command: 'rename-window', arg: 'db work' } });
    expect(parseCommandLine('rename-window')).toEqual({ ok: true, action: { type: 'command', command: 'rename-window' } });
    expect(parseCommandLine('killw')).toEqual({ ok: true, action: { type: 'command', command: 'kill-window' } });
    expect(parseCommandLine('breakp')).toEqual({ ok: true, action: { type: 'command', command: 'break-pane' } });
    expect(parseCommandLine('select-window')).toMatchObject({ ok: false, error: /^select-window: -t N/ });
    expect(parseCommandLine('swap-pane')).toEqual({ ok: false, error: 'swap-pane: -U (with the previous pane) or -D (with the next)' });
  });

  it('refuses what it cannot do, in one line, and never passes text on', () => {
    expect(parseCommandLine('resize-pane -x 10')).toEqual({ ok: false, error: 'resize-pane: -L, -R, -U or -D [cells] (or -Z to zoom)' });
    expect(parseCommandLine('rm -rf /')).toEqual({ ok: false, error: 'unknown command: rm' });
    expect(parseCommandLine('select-layout grid')).toMatchObject({ ok: false, error: /^select-layout: unknown layout grid/ });
    expect(parseCommandLine('send-prompt')).toMatchObject({ ok: false });
    expect(parseCommandLine('   ')).toEqual({ ok: false, error: 'no command' });
  });

  it('completes the command word', () => {
    expect(completeCommand('sel')).toEqual({ line: 'select-', candidates: ['select-layout', 'select-pane', 'select-window'] });
    expect(completeCommand('kill')).toEqual({ line: 'kill-', candidates: ['kill-pane', 'kill-window'] });
    expect(completeCommand('killp')).toEqual({ line: 'killp', candidates: [] });
    expect(completeCommand('new')).toEqual({ line: 'new-window ', candidates: ['new-window'] });
    expect(completeCommand('select-layout ti').candidates).toEqual([]);
  });

  it("monitor-silence, tmux's window option: setw, set -w, set-window-option; 0 or nothing turns it off", () => {
    expect(parseCommandLine('setw monitor-silence 30')).toEqual({ ok: true, action: { type: 'silence', seconds: 30 } });
    expect(parseCommandLine('set -w monitor-silence 5')).toEqual({ ok: true, action: { type: 'silence', seconds: 5 } });
    expect(parseCommandLine('set-window-option monitor-silence 0')).toEqual({ ok: true, action: { type: 'silence', seconds: 0 } });
    expect(parseCommandLine('setw monitor-silence')).toEqual({ ok: true, action: { type: 'silence', seconds: 0 } });
    expect(parseCommandLine('setw monitor-silence soon')).toEqual({ ok: false, error: 'monitor-silence: seconds from 0 (off) to 86400, got "soon"' });
    expect(parseCommandLine('set status off')).toEqual({ ok: false, error: 'set-option: berth knows one option, monitor-silence [seconds] (0 = off)' });
  });
});
