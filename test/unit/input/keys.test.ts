import { describe, expect, it } from 'vitest';
import { keyName, printable } from '../../../src/input/keys.js';

// Keypress objects as Node's readline decoder reported them in a tmux pane.
describe('keyName', () => {
  it('names keys the way the keymap spells them', () => {
    expect(keyName('\r', { sequence: '\r', name: 'return', ctrl: false, meta: false, shift: false })).toBe('enter');
    expect(keyName(undefined, { sequence: '\u001b', name: 'escape', ctrl: false, meta: true, shift: false })).toBe('escape');
    expect(keyName('q', { sequence: 'q', name: 'q', ctrl: false, meta: false, shift: false })).toBe('q');
    expect(keyName('G', { sequence: 'G', name: 'g', ctrl: false, meta: false, shift: true })).toBe('G');
    expect(keyName('/', { sequence: '/', ctrl: false, meta: false, shift: false })).toBe('/');
    expect(keyName('\u0003', { sequence: '\u0003', name: 'c', ctrl: true, meta: false, shift: false })).toBe('ctrl+c');
    expect(keyName(undefined, { sequence: '\u001b[Z', name: 'tab', ctrl: false, meta: false, shift: true })).toBe('shift+tab');
    expect(keyName(undefined, { sequence: '\u001b[B', name: 'down', ctrl: false, meta: false, shift: false })).toBe('down');
    expect(keyName('\u007f', { sequence: '\u007f', name: 'backspace', ctrl: false, meta: false, shift: false })).toBe('backspace');
  });
  it('printable keeps text and drops control keys', () => {
    expect(printable('a', { name: 'a' })).toBe('a');
    expect(printable('é', {})).toBe('é');
    expect(printable('\u0003', { name: 'c', ctrl: true })).toBe('');
    expect(printable(undefined, { name: 'escape', meta: true })).toBe('');
  });
});
