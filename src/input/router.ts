// Owns stdin: raw mode on, keypresses decoded once and handed to whoever is active.
import readline from 'node:readline';
import type { ReadStream } from 'node:tty';
import { keyName, printable, type Keypress } from './keys.js';

export type KeyHandler = (key: string, text: string) => void;

export class InputRouter {
  private handler: KeyHandler | null = null;
  private readonly onKeypress = (str: string | undefined, key: Keypress | undefined) => {
    this.handler?.(keyName(str, key), printable(str, key));
  };

  constructor(private readonly stdin: NodeJS.ReadStream) {}

  start(handler: KeyHandler): void {
    this.handler = handler;
    // A lone ESC is reported after 50 ms without a following byte (vim's ttimeoutlen habit),
    // instead of readline's default half second.
    readline.emitKeypressEvents(this.stdin, { escapeCodeTimeout: 50 } as unknown as readline.Interface);
    if (this.stdin.isTTY) (this.stdin as ReadStream).setRawMode(true);
    this.stdin.on('keypress', this.onKeypress);
    this.stdin.resume();
  }

  stop(): void {
    this.stdin.off('keypress', this.onKeypress);
    if (this.stdin.isTTY) (this.stdin as ReadStream).setRawMode(false);
    this.stdin.pause();
    this.handler = null;
  }
}
