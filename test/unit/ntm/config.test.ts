import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expandVars } from '../../../src/config/expand.js';
import { agentCommand, loadNtmConfig, parseNtmConfig } from '../../../src/config/ntm.js';
import { loadPreset, parsePreset } from '../../../src/config/presets.js';
import { isTrusted, trust, trustFilePath } from '../../../src/config/trust.js';
import { containerCommand, parseAgentCount, planSpawn } from '../../../src/panes/plan.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../fixtures/agents/project');

describe('expandVars', () => {
  const env = { A: 'x', EMPTY: '', NAME: 'shop' };
  it('expands ${VAR} and ${VAR:-default}', () => {
    expect(expandVars('a=${A} b=${B:-def} e=${EMPTY:-fallback} e2=${EMPTY-kept}', env)).toBe('a=x b=def e=fallback e2=');
    expect(expandVars('${NAME}-dev ${MISSING}', env)).toBe('shop-dev ');
  });
  it('nests defaults, keeps $$ and plain $ literal', () => {
    expect(expandVars('${X:-${NAME:-n}-dev} $$HOME $1', env)).toBe('shop-dev $HOME $1');
  });
  it('refuses bad references and, when strict, unset variables', () => {
    expect(() => expandVars('${A', env)).toThrow(/unclosed/);
    expect(() => expandVars('${1A}', env)).toThrow(/bad variable reference/);
    expect(() => expandVars('${NOPE}', env, { strict: true, where: 'f.toml' })).toThrow(/f.toml: \$\{NOPE\} is not set/);
  });
});

describe('.ntm/config.toml', () => {
  it('reads agents, aliases and models as NTM writes them, expanding variables', () => {
    const cfg = loadNtmConfig(FIXTURE, { FAKE_CC_NAME: 'cc-from-env' })!;
    expect(cfg.agents.claude).toBe('sh /fake-agent.sh cc-from-env');
    expect(cfg.aliases.gmi).toBe('sh /fake-agent.sh gemini-alias');
    expect(agentCommand(cfg, 'cc')).toEqual({ command: 'sh /fake-agent.sh cc-from-env', fromConfig: true });
    expect(agentCommand(cfg, 'gmi').command).toBe('sh /fake-agent.sh gemini-alias');
    expect(agentCommand(cfg, 'cc', 'claude-opus').command).toBe('sh /fake-agent.sh claude-opus');
    expect(agentCommand(cfg, 'cod', 'gpt 5').command).toBe("sh /fake-agent.sh codex --model 'gpt 5'");
  });
  it('falls back to the agents\' own commands and ignores other NTM sections', () => {
    const cfg = parseNtmConfig('[palette]\nx = 1\n[agents]\nclaude = "claude --dangerously-skip-permissions"\n', 'c.toml');
    expect(agentCommand(cfg, 'cc').command).toBe('claude --dangerously-skip-permissions');
    expect(agentCommand(cfg, 'gmi')).toEqual({ command: 'gemini', fromConfig: false });
    expect(agentCommand(null, 'cod').command).toBe('codex');
    expect(() => agentCommand(null, 'aider')).toThrow(/unknown agent "aider"/);
  });
  it('names the file and line of a syntax error and the key of a type error', () => {
    expect(() => parseNtmConfig('[agents]\nclaude = \n', 'p/.ntm/config.toml')).toThrow(/^p\/\.ntm\/config\.toml:2:/);
    expect(() => parseNtmConfig('[agents.aliases]\ncc = 3\n', 'c.toml')).toThrow(/^c.toml:2:1: agents.aliases.cc/);
  });
  it('warns about tables NTM does not know, with their line; its own ones pass', () => {
    const cfg = parseNtmConfig('[palette]\nx = 1\n[agnets]\nclaude = "c"\n[agents]\nclaude = "claude"\n[tmux]\ndefault_panes = 2\n', 'p/.ntm/config.toml');
    expect(cfg.warnings).toEqual(['p/.ntm/config.toml:3:1: unknown table [agnets] (berth reads [agents]; NTM knows none by that name either): ignored']);
    expect(cfg.agents).toEqual({ claude: 'claude' });
  });
});

describe('presets', () => {
  it('loads the shipped presets', () => {
    const swarm = loadPreset('swarm');
    expect(swarm.layout).toBe('tiled');
    expect(swarm.agents.map((a) => [a.kind, a.count])).toEqual([['cc', 3], ['cod', 2], ['gmi', 1]]);
    expect(loadPreset('review').user).toBe(false);
    expect(() => loadPreset('nope')).toThrow(/no preset "nope" \(have: .*pair/);
  });
  it('errors name the file and line', () => {
    const text = 'layout = "tiled"\n\n[[agents]]\nkind = "cc"\n\n[[agents]]\nkind = "cod"\ncount = "two"\n';
    expect(() => parsePreset(text, 'x.toml')).toThrow(/^x.toml:8:1: agents\[1\].count: Expected number/);
    expect(() => parsePreset('layout = "grid"\n', 'y.toml')).toThrow(/^y.toml:1:1: layout:/);
    expect(() => parsePreset('colour = 1\n', 'z.toml')).toThrow(/^z.toml:1:1: unknown key colour/);
  });
  it('a project\'s own preset wins over a shipped one of the same name', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-preset-'));
    fs.mkdirSync(path.join(dir, '.berth', 'presets'), { recursive: true });
    fs.writeFileSync(path.join(dir, '.berth', 'presets', 'pair.toml'), 'layout = "even-vertical"\nuser = false\n[[agents]]\nkind = "cod"\ncount = 2\nmodel = "o3"\nprompt = "hi"\n');
    const p = loadPreset('pair', dir);
    expect([p.layout, p.user, p.agents[0]]).toEqual(['even-vertical', false, { kind: 'cod', count: 2, model: 'o3', prompt: 'hi' }]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('trust', () => {
  let dir: string;
  const saved = process.env.XDG_STATE_HOME;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-trust-'));
    process.env.XDG_STATE_HOME = dir;
  });
  afterEach(() => {
    process.env.XDG_STATE_HOME = saved;
    fs.rmSync(dir, { recursive: true, force: true });
  });
  it('is remembered per file content, and a change asks again', () => {
    expect(isTrusted('/p/.ntm/config.toml', 'a')).toBe(false);
    trust('/p/.ntm/config.toml', 'a');
    expect(isTrusted('/p/.ntm/config.toml', 'a')).toBe(true);
    expect(isTrusted('/p/.ntm/config.toml', 'a2')).toBe(false);
    expect(isTrusted('/q/.ntm/config.toml', 'a')).toBe(false);
    expect(trustFilePath().startsWith(dir)).toBe(true);
  });
});

describe('spawn plan', () => {
  const ntm = loadNtmConfig(FIXTURE, {})!;
  it('titles panes as NTM does, pane 0 being the user shell', () => {
    const plan = planSpawn({ project: 'shop', container: 'shop-dev', user: true, ntm, agents: [{ kind: 'cc', count: 2 }, { kind: 'cod', count: 1, prompt: 'go' }, { kind: 'gmi', count: 1 }] });
    expect(plan.panes.map((p) => p.title)).toEqual(['shop__user', 'shop__cc_1', 'shop__cc_2', 'shop__cod_1', 'shop__gmi_1']);
    expect(plan.prompts).toEqual([{ pane: 3, text: 'go' }]);
    expect(plan.usesProjectConfig).toBe(true);
    const args = plan.panes[1]!.command.args;
    expect(args.slice(0, 4)).toEqual(['exec', '-it', '-e', 'TERM=xterm-256color']);
    expect(args.slice(-4)).toEqual(['shop-dev', 'sh', '-c', 'sh /fake-agent.sh claude']);
  });
  it('numbers agents added to a workspace after the ones it has (berth add)', () => {
    const taken = ['shop.x__user', 'shop.x__cc_1', 'shop.x__cc_3', 'shop.x__gmi_1', 'renamed'];
    const plan = planSpawn({ project: 'shop.x', container: 'c', user: false, ntm, taken, agents: [{ kind: 'cc', count: 2 }, { kind: 'cod', count: 1 }] });
    expect(plan.panes.map((p) => p.title)).toEqual(['shop.x__cc_4', 'shop.x__cc_5', 'shop.x__cod_1']);
  });
  it('runs NTM\'s own docker commands on the host, with a terminal', () => {
    expect(containerCommand('c', 'docker exec -i shop-env claude')).toEqual({ file: 'sh', args: ['-c', 'docker exec -it shop-env claude'], env: undefined });
  });
  it('reads NTM counts with a model', () => {
    expect(parseAgentCount('2:opus', '--cc')).toEqual({ count: 2, model: 'opus' });
    expect(() => parseAgentCount('two', '--cc')).toThrow(/--cc: expected a count/);
  });
});

describe('agents.toml overrides and trust refusal', () => {
  it('compiles status patterns and Enter delays into the plan', async () => {
    const { parseAgentOverrides } = await import('../../../src/config/ntm.js');
    const overrides = parseAgentOverrides('[status.cc]\nerror = ["^BOOM"]\n[enter_delay_ms]\ncc = 900\n', 'agents.toml');
    const { loadRuleFiles } = await import('../../../src/config/agentRules.js');
    const ruleFiles = loadRuleFiles({ user: '' });
    const plan = planSpawn({ project: 'p', container: 'c', user: false, ntm: null, overrides, ruleFiles, agents: [{ kind: 'cc', count: 1 }, { kind: 'cod', count: 1 }] });
    const errors = (i: number) => plan.panes[i]!.rules!.filter((r) => r.state === 'error');
    // cc's error rules are the override alone; its other states and cod keep the shipped rules
    expect(errors(0).map((r) => r.re.source)).toEqual(['^BOOM']);
    expect(plan.panes[0]!.rules!.some((r) => r.state === 'waiting' && r.re.test('Do you want to proceed?'))).toBe(true);
    expect(errors(1).some((r) => r.re.test('rate limit exceeded'))).toBe(true);
    expect(plan.panes[0]!.enterDelayMs).toBe(900);
    expect(() => parseAgentOverrides('[status.cc]\nerror = ["("]\n', 'a.toml')).toThrow(/a.toml: status.cc.error: bad regular expression/);
  });
  it('refuses an untrusted config when it cannot ask, and accepts it with --trust', async () => {
    const { ensureTrusted } = await import('../../../src/workspace/spawn.js');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-trust-'));
    const saved = process.env.XDG_STATE_HOME;
    process.env.XDG_STATE_HOME = dir;
    try {
      const ntm = loadNtmConfig(FIXTURE, {})!;
      const plan = planSpawn({ project: 'p', container: 'c', user: false, ntm, agents: [{ kind: 'cc', count: 1 }] });
      await expect(ensureTrusted(ntm, plan, false, false)).rejects.toThrow(/is not trusted yet \(it runs commands\); review it, then run again with --trust/);
      await ensureTrusted(ntm, plan, true, false);
      await expect(ensureTrusted(ntm, plan, false, false)).resolves.toBeUndefined();
    } finally {
      process.env.XDG_STATE_HOME = saved;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
