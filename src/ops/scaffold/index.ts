// `berth init`: writes a template's files into a project folder without overwriting
// anything unasked, creates the host credential folders the compose file mounts, and
// registers the project in the user config.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../../config/errors.js';
import { addProject, loadUserConfig } from '../../config/userConfig.js';
import { userConfigPath } from '../../config/paths.js';
import { normalizeProjectName } from '../compose/file.js';
import { containerName, CREDENTIAL_MOUNTS, renderTemplate, TEMPLATES, type ScaffoldFile, type TemplateName } from './templates.js';
import { makeDirs } from '../../lib/makeDirs.js';
import { withClaudeHooks } from './hooks.js';

export { withClaudeHooks, hasClaudeHooks, CLAUDE_HOOKS } from './hooks.js';
export { TEMPLATES, VERSIONS, renderTemplate, containerName, CREDENTIAL_MOUNTS, type TemplateName, type ScaffoldFile } from './templates.js';

export interface InitOptions {
  dir: string;
  template?: string;
  name?: string;
  dryRun?: boolean;
  force?: boolean;
  /** Asked for each file that exists (when not forced); absent means "no". */
  confirm?: (file: string) => Promise<boolean>;
  /** User config file (default: the XDG one). */
  configFile?: string;
  /** Home folder for the credential folders (default: the user's). */
  home?: string;
  /** Host ids written into .env.example (default: this process's, root's 0 too). */
  uid?: number;
  gid?: number;
}

export type FileAction = 'written' | 'overwritten' | 'skipped' | 'would write' | 'would overwrite' | 'would skip';

export interface InitFileResult extends ScaffoldFile {
  action: FileAction;
  /** Absolute path. */
  absPath: string;
}

export interface InitResult {
  name: string;
  template: TemplateName;
  dir: string;
  files: InitFileResult[];
  /** What happened with the user config. */
  registration: 'added' | 'already registered' | 'would add' | { conflict: string };
  /** Credential folders created on the host (or that would be). */
  createdDirs: string[];
}

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;

export function parseTemplate(t: string | undefined): TemplateName {
  const v = (t ?? 'base').toLowerCase();
  if ((TEMPLATES as readonly string[]).includes(v)) return v as TemplateName;
  throw new UserError(`unknown template "${t}" (choose one of ${TEMPLATES.join(', ')})`);
}

export function projectNameFor(dir: string, name?: string): string {
  if (name !== undefined) {
    if (!NAME_RE.test(name)) throw new UserError(`invalid project name "${name}": use lower-case letters, digits, "-" and "_", starting with a letter or digit`);
    return name;
  }
  const derived = normalizeProjectName(path.basename(path.resolve(dir)));
  if (!derived) throw new UserError(`cannot derive a project name from the folder "${path.basename(path.resolve(dir))}"; pass --name`);
  return derived;
}

/** The ids of the user running berth init (root: 0), so the files in /workspace stay theirs. */
function defaultIds(): { uid: number; gid: number } {
  return { uid: process.getuid?.() ?? 1000, gid: process.getgid?.() ?? 1000 };
}

export async function initProject(opts: InitOptions): Promise<InitResult> {
  const dir = path.resolve(opts.dir);
  let st: fs.Stats;
  try {
    st = fs.statSync(dir);
  } catch {
    throw new UserError(`${dir}: no such folder`);
  }
  if (!st.isDirectory()) throw new UserError(`${dir}: not a folder`);
  const template = parseTemplate(opts.template);
  const name = projectNameFor(dir, opts.name);
  const ids = defaultIds();
  const files = renderTemplate({ template, name, uid: opts.uid ?? ids.uid, gid: opts.gid ?? ids.gid });
  const dry = opts.dryRun === true;

  const results: InitFileResult[] = [];
  for (const f of files) {
    const absPath = path.join(dir, f.path);
    const exists = fs.existsSync(absPath);
    let action: FileAction;
    if (!exists) action = dry ? 'would write' : 'written';
    else if (opts.force) action = dry ? 'would overwrite' : 'overwritten';
    else if (!dry && opts.confirm && (await opts.confirm(f.path))) action = 'overwritten';
    else action = dry ? 'would skip' : 'skipped';
    if (action === 'written' || action === 'overwritten') {
      makeDirs(path.dirname(absPath));
      const tmp = `${absPath}.berth-tmp-${process.pid}`;
      fs.writeFileSync(tmp, f.content);
      fs.renameSync(tmp, absPath);
    }
    results.push({ ...f, absPath, action });
  }

  // Credential folders that do not exist would be created by the engine, owned by root.
  const home = opts.home ?? os.homedir();
  const createdDirs: string[] = [];
  for (const m of CREDENTIAL_MOUNTS) {
    const p = path.join(home, m.host.replace(/^~\/?/, ''));
    if (fs.existsSync(p)) continue;
    if (!dry) makeDirs(p, 0o700);
    createdDirs.push(p);
  }

  const configFile = opts.configFile ?? userConfigPath();
  const cfg = loadUserConfig(configFile);
  const same = cfg.projects.find((p) => p.name === name);
  let registration: InitResult['registration'];
  if (same) {
    registration = same.path && path.resolve(same.path) !== dir ? { conflict: same.path } : 'already registered';
  } else if (dry) {
    registration = 'would add';
  } else {
    addProject({ name, path: dir, containers: [containerName(name)] }, configFile);
    registration = 'added';
  }
  return { name, template, dir, files: results, registration, createdDirs };
}

export interface HooksResult {
  file: string;
  action: 'written' | 'updated' | 'unchanged' | 'would write' | 'would update';
  /** The file as it is (or would be) after. */
  content: string;
}

/**
 * `berth init --hooks`: berth's state hooks into a project's .claude/settings.json, the
 * rest of the file kept (a new file when there is none). Idempotent.
 */
export function installClaudeHooks(dir: string, dryRun = false): HooksResult {
  const file = path.join(path.resolve(dir), '.claude', 'settings.json');
  let before: string | null = null;
  try {
    before = fs.readFileSync(file, 'utf8');
  } catch {
    // a new file
  }
  const { text, changed } = withClaudeHooks(before, file);
  const action: HooksResult['action'] = !changed ? 'unchanged' : before === null ? (dryRun ? 'would write' : 'written') : dryRun ? 'would update' : 'updated';
  if (changed && !dryRun) {
    makeDirs(path.dirname(file));
    const tmp = `${file}.berth-tmp-${process.pid}`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }
  return { file, action, content: text };
}

/** Human-readable summary of an init run (the dry run prints the contents too). */
export function formatInitResult(r: InitResult, opts: { showContent?: boolean } = {}): string {
  const lines: string[] = [];
  for (const f of r.files) {
    const skipped = f.action.endsWith('skip') || f.action === 'skipped';
    const hint = f.path === '.claude/settings.json' ? " (exists; berth init --hooks adds berth's hooks to it, keeping the rest)" : ' (exists; --force overwrites)';
    lines.push(`${f.action.padEnd(15)} ${f.path}${skipped ? hint : ''}`);
    if (opts.showContent && f.action !== 'would skip') {
      lines.push(`----- ${f.path} -----`, f.content.replace(/\n$/, ''), `----- end of ${f.path} -----`);
    }
  }
  const dry = r.files.some((f) => f.action.startsWith('would'));
  for (const d of r.createdDirs) lines.push(`${(dry ? 'would create' : 'created').padEnd(15)} ${d} (mode 700, mounted into the container)`);
  if (r.registration === 'added') lines.push(`registered      project "${r.name}" in the user config`);
  else if (r.registration === 'would add') lines.push(`would register  project "${r.name}" in the user config`);
  else if (r.registration === 'already registered') lines.push(`project "${r.name}" is already registered`);
  else lines.push(`not registered: a project named "${r.name}" already exists for ${r.registration.conflict} (use --name)`);
  if (!dry) lines.push('', `next: cp .env.example .env, then berth compose ${r.name} up`);
  return lines.join('\n') + '\n';
}
