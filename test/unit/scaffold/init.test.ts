// `berth init`: every template passes the doctor's static rules, nothing is overwritten
// unasked, a dry run writes nothing, and the project is registered once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import TOML from '@iarna/toml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UserError } from '../../../src/config/errors.js';
import { loadUserConfig } from '../../../src/config/userConfig.js';
import { staticChecks } from '../../../src/ops/doctor/run.js';
import { formatInitResult, initProject, installClaudeHooks, TEMPLATES, VERSIONS } from '../../../src/ops/scaffold/index.js';
import { execFileSync } from 'node:child_process';

let tmp: string;
let home: string;
let configFile: string;
let project: string;

beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-init-'));
  home = path.join(tmp, 'home');
  fs.mkdirSync(home);
  configFile = path.join(tmp, 'config', 'berth', 'config.toml');
  project = path.join(tmp, 'My_App');
  fs.mkdirSync(project);
});

afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

const FILES = ['Dockerfile', 'compose.yaml', '.env.example', '.dockerignore', '.ntm/config.toml', '.claude/settings.json'];

describe.each(TEMPLATES)('template %s', (template) => {
  it('writes the six files and passes the compose, Dockerfile and project rules without an error or a warning', async () => {
    const r = await initProject({ dir: project, template, configFile, home, uid: 1234, gid: 2345 });
    expect(r.name).toBe('my_app');
    expect(r.files.map((f) => [f.path, f.action])).toEqual(FILES.map((f) => [f, 'written']));
    for (const f of FILES) expect(fs.existsSync(path.join(project, f))).toBe(true);

    const report = await staticChecks({ dir: project, name: r.name, home });
    const serious = report.findings.filter((f) => f.severity !== 'info');
    expect(serious).toEqual([]);
    expect(report.composeFile).toBe(path.join(project, 'compose.yaml'));
    expect(report.dockerfiles).toEqual([path.join(project, 'Dockerfile')]);
  });

  it('writes an NTM config with agents and the cc/cod/gmi aliases running in the container', async () => {
    await initProject({ dir: project, template, name: 'shop', configFile, home });
    const ntm = TOML.parse(fs.readFileSync(path.join(project, '.ntm/config.toml'), 'utf8')) as { agents: Record<string, unknown> };
    expect(ntm.agents.claude).toBe('docker exec -it shop-agent claude');
    expect(ntm.agents.codex).toBe('docker exec -it shop-agent codex');
    expect(ntm.agents.gemini).toBe('docker exec -it shop-agent gemini');
    expect(ntm.agents.aliases).toEqual({
      cc: 'docker exec -it shop-agent claude',
      cod: 'docker exec -it shop-agent codex',
      gmi: 'docker exec -it shop-agent gemini',
    });
  });
});

describe('generated files', () => {
  it('pin the base image through an ARG default and the agent CLI versions, with skippable steps', async () => {
    await initProject({ dir: project, template: 'python', configFile, home });
    const df = fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8');
    expect(df).toContain(`ARG BASE_IMAGE=${VERSIONS.pythonImage}\nFROM \${BASE_IMAGE}`);
    expect(df).toContain(`ARG CLAUDE_CODE_VERSION=${VERSIONS.claudeCode}`);
    expect(df).toContain('"@openai/codex@${CODEX_VERSION}"');
    expect(df).toMatch(/if \[ "\$INSTALL_AGENTS" = 1 \]/);
    expect(df).toMatch(/if \[ "\$INSTALL_PACKAGES" = 1 \]/);
    expect(df).toContain(`ARG NODE_VERSION=${VERSIONS.node}`);
    expect(df).not.toMatch(/^# syntax=/m); // no frontend image to pull: builds offline
    expect(df.trimEnd().split('\n').filter((l) => l.startsWith('USER ')).pop()).toBe('USER agent');
  });

  it('mount the workspace and the credentials, keep data on named volumes, take secrets from .env', async () => {
    await initProject({ dir: project, template: 'fullstack', configFile, home, uid: 1234, gid: 2345 });
    const compose = fs.readFileSync(path.join(project, 'compose.yaml'), 'utf8');
    for (const line of ['- .:/workspace', '- ~/.claude:/home/agent/.claude', '- ~/.codex:/home/agent/.codex', '- ~/.config/gemini:/home/agent/.config/gemini', '- node-modules:/workspace/node_modules', '- db-data:/var/lib/postgresql/data', 'restart: unless-stopped', 'max-size: "10m"']) {
      expect(compose).toContain(line);
    }
    expect(compose).toContain('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}');
    const example = fs.readFileSync(path.join(project, '.env.example'), 'utf8');
    expect(example).toContain('USER_UID=1234\nUSER_GID=2345\n');
    expect(example).toMatch(/^POSTGRES_PASSWORD=$/m);
    expect(fs.readFileSync(path.join(project, '.dockerignore'), 'utf8')).toMatch(/^\.env$/m);
  });
});

describe('initProject', () => {
  it('registers the project with its container, once', async () => {
    const first = await initProject({ dir: project, configFile, home });
    expect(first.registration).toBe('added');
    expect(loadUserConfig(configFile).projects).toEqual([{ name: 'my_app', path: project, containers: ['my_app-agent'] }]);
    const again = await initProject({ dir: project, configFile, home });
    expect(again.registration).toBe('already registered');
    expect(loadUserConfig(configFile).projects).toHaveLength(1);
  });

  it('does not register over a project of the same name elsewhere', async () => {
    const other = path.join(tmp, 'other', 'my_app');
    fs.mkdirSync(other, { recursive: true });
    await initProject({ dir: other, configFile, home });
    const r = await initProject({ dir: project, configFile, home });
    expect(r.registration).toEqual({ conflict: other });
    expect(formatInitResult(r)).toContain(`already exists for ${other} (use --name)`);
  });

  it('creates missing credential folders with mode 700 and leaves existing ones alone', async () => {
    fs.mkdirSync(path.join(home, '.claude'), { mode: 0o755 });
    const r = await initProject({ dir: project, configFile, home });
    expect(r.createdDirs).toEqual([path.join(home, '.codex'), path.join(home, '.config/gemini'), path.join(home, '.gemini')]);
    expect(fs.statSync(path.join(home, '.codex')).mode & 0o777).toBe(0o700);
    expect(fs.statSync(path.join(home, '.claude')).mode & 0o777).toBe(0o755);
  });

  it('never overwrites an existing file unasked: skips and reports it', async () => {
    fs.writeFileSync(path.join(project, 'Dockerfile'), 'FROM mine:1\n');
    const r = await initProject({ dir: project, configFile, home });
    expect(r.files.find((f) => f.path === 'Dockerfile')!.action).toBe('skipped');
    expect(fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8')).toBe('FROM mine:1\n');
    expect(r.files.filter((f) => f.action === 'written')).toHaveLength(5);
    expect(formatInitResult(r)).toContain('skipped         Dockerfile (exists; --force overwrites)');
  });

  it('asks per existing file and overwrites only on yes', async () => {
    fs.writeFileSync(path.join(project, 'Dockerfile'), 'FROM mine:1\n');
    fs.writeFileSync(path.join(project, '.dockerignore'), 'mine\n');
    const asked: string[] = [];
    const r = await initProject({
      dir: project,
      configFile,
      home,
      confirm: async (f) => {
        asked.push(f);
        return f === 'Dockerfile';
      },
    });
    expect(asked).toEqual(['Dockerfile', '.dockerignore']);
    expect(r.files.find((f) => f.path === 'Dockerfile')!.action).toBe('overwritten');
    expect(fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8')).toContain('ARG BASE_IMAGE=');
    expect(fs.readFileSync(path.join(project, '.dockerignore'), 'utf8')).toBe('mine\n');
  });

  it('overwrites with force', async () => {
    fs.writeFileSync(path.join(project, 'compose.yaml'), 'services: {}\n');
    const r = await initProject({ dir: project, configFile, home, force: true });
    expect(r.files.find((f) => f.path === 'compose.yaml')!.action).toBe('overwritten');
    expect(fs.readFileSync(path.join(project, 'compose.yaml'), 'utf8')).toContain('container_name: my_app-agent');
  });

  it('dry run writes nothing, registers nothing, creates no folder, and shows the contents', async () => {
    fs.writeFileSync(path.join(project, 'Dockerfile'), 'FROM mine:1\n');
    const before = fs.readdirSync(project);
    const r = await initProject({ dir: project, template: 'node', configFile, home, dryRun: true, confirm: async () => true });
    expect(fs.readdirSync(project)).toEqual(before);
    expect(fs.readFileSync(path.join(project, 'Dockerfile'), 'utf8')).toBe('FROM mine:1\n');
    expect(fs.existsSync(configFile)).toBe(false);
    expect(fs.readdirSync(home)).toEqual([]);
    expect(r.registration).toBe('would add');
    expect(r.files.map((f) => f.action)).toEqual(['would skip', 'would write', 'would write', 'would write', 'would write', 'would write']);
    const text = formatInitResult(r, { showContent: true });
    expect(text).toContain('----- compose.yaml -----');
    expect(text).toContain('node-modules:/workspace/node_modules');
    expect(text).not.toContain('----- Dockerfile -----');
    expect(text).toContain(`would create    ${path.join(home, '.codex')}`);
  });

  it('rejects an unknown template, a bad name and a missing folder with one-line errors', async () => {
    await expect(initProject({ dir: project, template: 'rust', configFile, home })).rejects.toThrow(new UserError('unknown template "rust" (choose one of base, python, node, fullstack)'));
    await expect(initProject({ dir: project, name: 'Bad Name', configFile, home })).rejects.toThrow(UserError);
    await expect(initProject({ dir: path.join(tmp, 'nope'), configFile, home })).rejects.toThrow(/no such folder/);
    const weird = path.join(tmp, '---');
    fs.mkdirSync(weird);
    await expect(initProject({ dir: weird, configFile, home })).rejects.toThrow(/pass --name/);
  });
});

describe("Claude Code's state hooks", () => {
  const settings = () => JSON.parse(fs.readFileSync(path.join(project, '.claude/settings.json'), 'utf8')) as { hooks: Record<string, Array<{ matcher?: string; hooks: Array<{ command: string }> }>>; model?: string };
  it('init writes them: each event reports its state with one printf to the terminal', async () => {
    await initProject({ dir: project, configFile, home });
    const h = settings().hooks;
    expect(Object.keys(h)).toEqual(['UserPromptSubmit', 'PreToolUse', 'PostToolUse', 'Notification', 'Stop']);
    expect(h.Notification!.map((g) => g.matcher)).toEqual(['permission_prompt', 'idle_prompt']);
    // the command, run by a real shell, prints exactly the sequence berth reads
    const cmd = h.Notification![0]!.hooks[0]!.command.replace('> /dev/tty', '');
    expect(execFileSync('sh', ['-c', cmd]).toString()).toBe('\x1b]777;berth;state;waiting\x07');
  });
  it('--hooks adds them to an existing settings file, keeps everything else, and is idempotent', () => {
    fs.mkdirSync(path.join(project, '.claude'));
    const mine = { model: 'opus', hooks: { Stop: [{ hooks: [{ type: 'command', command: 'notify-send done' }] }] } };
    fs.writeFileSync(path.join(project, '.claude/settings.json'), JSON.stringify(mine));
    expect(installClaudeHooks(project, true).action).toBe('would update');
    expect(JSON.parse(fs.readFileSync(path.join(project, '.claude/settings.json'), 'utf8'))).toEqual(mine);
    expect(installClaudeHooks(project).action).toBe('updated');
    const s = settings();
    expect(s.model).toBe('opus');
    expect(s.hooks.Stop!.map((g) => g.hooks[0]!.command)).toEqual(['notify-send done', expect.stringContaining('777;berth;state;done')]);
    expect(installClaudeHooks(project).action).toBe('unchanged');
  });
  it('a settings file that is not JSON is named, not overwritten', () => {
    fs.mkdirSync(path.join(project, '.claude'));
    fs.writeFileSync(path.join(project, '.claude/settings.json'), '{ "model": ');
    expect(() => installClaudeHooks(project)).toThrow(/settings\.json: not valid JSON .*fix it/);
    expect(fs.readFileSync(path.join(project, '.claude/settings.json'), 'utf8')).toBe('{ "model": ');
  });
});
