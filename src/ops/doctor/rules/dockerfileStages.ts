// What Dockerfile rules share: where a finding points, the build stages, the shell text of a RUN.
import type { DockerfileCtx } from '../context.js';
import { expandArgs, keyValues, splitArgs, takeFlags, type Instruction } from '../dockerfile.js';
import type { Finding } from '../types.js';

export function at(ctx: DockerfileCtx, ins: Instruction, line = ins.line): Finding['where'] {
  return { file: ctx.display, line, column: line === ins.line ? ins.column : undefined };
}

/** Build stages: each FROM with its resolved image, alias and the instructions under it. */
export interface Stage {
  from: Instruction;
  /** The image text as written (after --platform), e.g. "${BASE_IMAGE}" or "node:22". */
  image: string;
  /** Image with build args substituted; null when an arg has no default. */
  resolved: string | null;
  alias: string | null;
  /** Index of an earlier stage this one builds on, or -1. */
  parent: number;
  body: Instruction[];
}

export function stagesOf(instructions: Instruction[]): { stages: Stage[]; globalArgs: Map<string, string | null> } {
  const globalArgs = new Map<string, string | null>();
  const stages: Stage[] = [];
  for (const ins of instructions) {
    if (ins.keyword === 'FROM') {
      const { rest } = takeFlags(splitArgs(ins.args));
      const image = rest[0] ?? '';
      const alias = rest.length >= 3 && rest[1]!.toUpperCase() === 'AS' ? rest[2]!.toLowerCase() : null;
      const resolved = expandArgs(image, globalArgs);
      const parent = resolved ? stages.findIndex((s) => s.alias === resolved.toLowerCase()) : -1;
      stages.push({ from: ins, image, resolved, alias, parent, body: [] });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') for (const kv of keyValues(ins)) globalArgs.set(kv.key, kv.value);
    } else {
      stages[stages.length - 1]!.body.push(ins);
    }
  }
  return { stages, globalArgs };
}

/** The shell text a RUN executes: its arguments plus any heredoc bodies. */
export function runText(ins: Instruction): string {
  return [ins.args, ...ins.heredocs].join('\n');
}

