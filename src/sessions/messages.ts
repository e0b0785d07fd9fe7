// What the session server accepts from a client, checked before any of it is used: every
// hello and resize frame is parsed against a schema, sizes are clamped to what a terminal
// can be, and a frame that does not fit gives one line naming the first field at fault.
// The server never trusts a client: another berth version, a broken script or a hostile
// local process may be on the other end of the socket.
import { z } from 'zod';
import { PROTOCOL_VERSION, type Hello } from './protocol.js';

/** The largest terminal the server draws for; larger sizes are clamped (tmux draws no more). */
export const MAX_COLS = 1000;
export const MAX_ROWS = 500;
/** The smallest: one cell (a zero or negative size would break the layout arithmetic). */
export const MIN_COLS = 1;
export const MIN_ROWS = 1;
/** A frame from a client larger than this is refused (a big paste is well below it). */
export const MAX_CLIENT_FRAME = 1 << 20;
/** Panes one request may ask for, all agents added up. */
export const MAX_PANES = 64;

const text = (max: number, min = 0) =>
  z
    .string()
    .min(min)
    .max(max)
    .refine((s) => !s.includes('\0'), 'contains a NUL byte');
const name = text(128, 1);
/** A size field: any finite number, clamped; the caller is told when it was. */
const dimension = z.number().finite();

const screen = {
  v: z.number(),
  cols: dimension,
  rows: dimension,
  prefix: text(32),
  fullscreen: z.boolean().optional(),
  mouse: z.boolean().optional(),
};

const agent = z
  .object({
    kind: text(64, 1),
    count: z.number().int().min(0).max(MAX_PANES),
    model: text(128).optional(),
    prompt: text(65536).optional(),
  })
  .strict();

const spawnRequest = z
  .object({
    project: name,
    agents: z.array(agent).max(MAX_PANES),
    layout: text(64).optional(),
    preset: text(256).optional(),
    user: z.boolean().optional(),
    container: name.optional(),
    host: text(1024).optional(),
    trust: z.boolean().optional(),
    prefix: text(32).optional(),
    prompt: text(65536).optional(),
    defaultAgents: z.boolean().optional(),
    dir: text(4096).optional(),
  })
  .strict()
  .refine((r) => r.agents.reduce((n, a) => n + a.count, 0) <= MAX_PANES, `asks for more than ${MAX_PANES} panes`);

const env = z.record(text(4096)).refine((e) => Object.keys(e).length <= 256, 'has more than 256 variables');

const helloSchema = z.discriminatedUnion('op', [
  z.object({ ...screen, op: z.literal('spawn'), name, spawn: spawnRequest }).strict(),
  z.object({ ...screen, op: z.literal('attach'), name: name.optional(), detachOthers: z.boolean().optional() }).strict(),
  z
    .object({
      ...screen,
      op: z.literal('open'),
      name,
      agents: spawnRequest.optional(),
      add: z.boolean().optional(),
      /** With add: the agents go into a new window of the session (named this). */
      window: text(64).optional(),
      focus: z.object({ window: z.number().int().min(0).max(1000), pane: z.number().int().min(0).max(1000) }).strict().optional(),
      shell: z.object({ container: name, env }).strict().optional(),
    })
    .strict(),
  z.object({ ...screen, op: z.literal('dashboard'), host: text(1024).optional(), theme: text(128).optional(), env }).strict(),
  z.object({ v: z.number(), op: z.literal('list') }).strict(),
  z.object({ v: z.number(), op: z.literal('kill'), name: name.optional(), all: z.boolean().optional(), dryRun: z.boolean().optional() }).strict(),
]);

const resizeSchema = z.object({ cols: dimension, rows: dimension }).strict();

export type Checked<T> = { ok: true; value: T; clamped?: string } | { ok: false; error: string };

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'does not match';
  const where = issue.path.length ? issue.path.join('.') : 'the message';
  return `${where}: ${issue.message}`;
}

function parseJson(payload: Buffer): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) as unknown };
  } catch {
    return { ok: false, error: 'not JSON' };
  }
}

/** A size within what the server draws, and a note when it had to be changed. */
export function clampSize(cols: number, rows: number): { cols: number; rows: number; clamped?: string } {
  const c = Math.min(MAX_COLS, Math.max(MIN_COLS, Math.floor(cols)));
  const r = Math.min(MAX_ROWS, Math.max(MIN_ROWS, Math.floor(rows)));
  return c === cols && r === rows ? { cols: c, rows: r } : { cols: c, rows: r, clamped: `${cols}x${rows} clamped to ${c}x${r}` };
}

/**
 * A client's hello, checked and with its size clamped. A hello of another protocol
 * version is not held to this version's schema: `otherVersion` says which it speaks.
 */
export function checkHello(payload: Buffer): Checked<Hello> & { otherVersion?: number } {
  const json = parseJson(payload);
  if (!json.ok) return { ok: false, error: `bad hello: ${json.error}` };
  const { v, op } = (json.value ?? {}) as { v?: unknown; op?: unknown };
  if (typeof v === 'number' && v !== PROTOCOL_VERSION) return { ok: false, error: `protocol ${v}`, otherVersion: v };
  if (typeof v !== 'number' || typeof op !== 'string') return { ok: false, error: 'bad hello: it needs a protocol version "v" and an "op"' };
  const r = helloSchema.safeParse(json.value);
  if (!r.success) return { ok: false, error: `bad hello: ${firstIssue(r.error)}` };
  const hello = r.data as Hello;
  if ('cols' in hello) {
    const s = clampSize(hello.cols, hello.rows);
    return { ok: true, value: { ...hello, cols: s.cols, rows: s.rows }, clamped: s.clamped };
  }
  return { ok: true, value: hello };
}

/** A resize frame, checked and clamped. */
export function checkResize(payload: Buffer): Checked<{ cols: number; rows: number }> {
  const json = parseJson(payload);
  if (!json.ok) return { ok: false, error: `bad resize: ${json.error}` };
  const r = resizeSchema.safeParse(json.value);
  if (!r.success) return { ok: false, error: `bad resize: ${firstIssue(r.error)}` };
  const s = clampSize(r.data.cols, r.data.rows);
  return { ok: true, value: { cols: s.cols, rows: s.rows }, clamped: s.clamped };
}
