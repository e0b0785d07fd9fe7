// Screen rules per agent kind as data files: rules/<agent>.toml shipped with berth, and the
// user's own in $XDG_CONFIG_HOME/berth/rules/ (a file of the same name replaces a shipped
// one; other names add kinds). Each file names the kinds it is for (NTM aliases such as cc
// and the agents' names); "*" files apply to every kind, after its own rules; a kind no file
// names gets the "default" file's. berth's agents.toml [status.<kind>] lists replace one
// state's rules of a kind (kept from before the rule files).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../lib/packageRoot.js';
import { RULE_STATES, type RuleState, type StatusRule } from '../panes/status.js';
import { UserError } from './errors.js';
import { configDir } from './paths.js';
import { configErrorText, fileAt, locateKey } from './tomlLocate.js';
import { parseToml } from './userConfig.js';
import type { AgentOverrides } from './ntm.js';

const ruleSchema = z
  .object({
    state: z.enum(RULE_STATES),
    match: z.string().min(1),
    rows: z.number().int().min(1).max(100).default(6),
    /** "screen" (default): the last rows; "title": the title the program set (OSC 0/2). */
    where: z.enum(['screen', 'title']).default('screen'),
    reason: z.string().min(1).optional(),
    note: z.string().optional(),
  })
  .strict();

const fileSchema = z
  .object({
    kinds: z.array(z.string().min(1)).min(1),
    rule: z.array(ruleSchema).default([]),
  })
  .strict();

export interface RuleFile {
  /** The file's name without .toml ("claude"). */
  name: string;
  file: string;
  kinds: string[];
  rules: StatusRule[];
}

export function parseRuleFile(text: string, file: string): RuleFile {
  const res = fileSchema.safeParse(parseToml(text, file));
  if (!res.success) throw new UserError(configErrorText(file, text, res.error));
  const rules = res.data.rule.map((r, i) => {
    let re: RegExp;
    try {
      re = new RegExp(r.match, 'im');
    } catch (e) {
      throw new UserError(`${fileAt(file, locateKey(text, ['rule', i, 'match']))}: rule ${i + 1}: ${(e as Error).message}`);
    }
    return { state: r.state, re, rows: r.rows, ...(r.where === 'title' ? { where: 'title' as const } : {}), ...(r.reason ? { reason: r.reason } : {}) };
  });
  return { name: path.basename(file, '.toml'), file, kinds: res.data.kinds, rules };
}

export function shippedRulesDir(): string {
  return path.join(packageRoot(), 'rules');
}

export function userRulesDir(): string {
  return path.join(configDir(), 'rules');
}

function readDir(dir: string): RuleFile[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.toml')).sort();
  } catch {
    return [];
  }
  return names.map((n) => {
    const file = path.join(dir, n);
    return parseRuleFile(fs.readFileSync(file, 'utf8'), file);
  });
}

/** The shipped rule files with the user's laid over them (a bad user file is a UserError). */
export function loadRuleFiles(dirs: { shipped?: string; user?: string } = {}): RuleFile[] {
  const byName = new Map<string, RuleFile>();
  for (const f of readDir(dirs.shipped ?? shippedRulesDir())) byName.set(f.name, f);
  for (const f of readDir(dirs.user ?? userRulesDir())) byName.set(f.name, f);
  return [...byName.values()];
}

/** A kind's rules: its own file's (or the default file's), then every "*" file's. */
export function rulesForKind(kind: string, files: readonly RuleFile[], overrides?: AgentOverrides): StatusRule[] {
  const own = files.filter((f) => f.kinds.includes(kind));
  const mine = own.length ? own : files.filter((f) => f.kinds.includes('default'));
  let rules = [...mine.flatMap((f) => f.rules), ...files.filter((f) => f.kinds.includes('*')).flatMap((f) => f.rules)];
  const replace = overrides?.status[kind];
  if (replace) {
    for (const state of RULE_STATES) {
      const list = replace[state];
      if (!list) continue;
      const given: StatusRule[] = list.map((m) => ({ state: state as RuleState, re: new RegExp(m, 'im'), rows: 6 }));
      rules = [...rules.filter((r) => r.state !== state), ...given];
    }
  }
  return rules;
}

let cached: RuleFile[] | null = null;

/**
 * Reads the rule files again (spawn does, so an edited file counts from the next spawn on);
 * a bad user file is a UserError that names its line.
 */
export function reloadRuleFiles(): RuleFile[] {
  cached = loadRuleFiles();
  return cached;
}

/** The rules of a kind from the files last read (the shipped ones alone when the user's are bad). */
export function agentRules(kind: string): StatusRule[] {
  if (!cached) {
    try {
      cached = loadRuleFiles();
    } catch {
      cached = loadRuleFiles({ user: '' });
    }
  }
  return rulesForKind(kind, cached);
}
