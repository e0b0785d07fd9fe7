// GpuSampler: one nvidia-smi (or rocm-smi) sample per refresh, shared with the stats tick.
import { gpuUseByContainer } from './cgroup.js';
import {
  NVIDIA_QUERY_APPS_ARGS,
  NVIDIA_QUERY_GPU_ARGS,
  parseLostGpuLine,
  parseNvidiaComputeApps,
  parseNvidiaQueryGpu,
} from './nvidia.js';
import { ROCM_ARGS, parseRocmSmiJson } from './rocm.js';
import { execaRunner, findOnPath, isExecutable, type RunResult, type Runner } from './run.js';
import type { GpuInfo, GpuProcess, GpuSnapshot, GpuTool } from './types.js';

export interface GpuSamplerOptions {
  /** Environment for PATH lookup, the BERTH_*_SMI overrides and the tool itself. */
  env?: NodeJS.ProcessEnv;
  /** Per call; the tool is killed after this. Default 2000 ms. */
  timeoutMs?: number;
  /** After a failure, no new call before this much time. Default 60 000 ms. */
  retryAfterMs?: number;
  /** Where /proc is (tests). */
  procRoot?: string;
  /** How commands run (tests inject a counting runner). Default: execa. */
  run?: Runner;
  now?: () => number;
  /** Called once per distinct problem (for the log), not on every refresh. */
  onProblem?: (problem: string) => void;
}

interface Detected {
  tool: GpuTool;
  file: string;
}

interface Sample {
  gpus: GpuInfo[];
  processes: GpuProcess[];
  warnings: string[];
}

class ToolFailure extends Error {}

const DISABLED = new Set(['off', 'none', 'false', '0']);

function firstLine(...texts: string[]): string {
  for (const t of texts) {
    const line = t
      .split(/\r?\n/)
      .map((l) => l.trim())
      .find(Boolean);
    if (line) return line;
  }
  return '';
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return Number.isInteger(s) ? `${s} s` : `${s.toFixed(1)} s`;
}

export class GpuSampler {
  private readonly env: NodeJS.ProcessEnv;
  private readonly timeoutMs: number;
  private readonly retryAfterMs: number;
  private readonly procRoot: string | undefined;
  private readonly runner: Runner;
  private readonly now: () => number;
  private readonly onProblem?: (problem: string) => void;

  /** undefined: not looked yet; null: no tool, never spawn anything. */
  private detected: Detected | null | undefined;
  private detectWarnings: string[] = [];
  private inFlight: Promise<GpuSnapshot> | null = null;
  private problem: string | undefined;
  private reportedProblem: string | undefined;
  private retryAt = 0;
  private last: Sample = { gpus: [], processes: [], warnings: [] };
  private lastAt = 0;
  private lastByContainer: GpuSnapshot['byContainer'] = new Map();
  /** Commands started so far (for tests and the benchmark). */
  spawnCount = 0;

  constructor(opts: GpuSamplerOptions = {}) {
    this.env = opts.env ?? process.env;
    this.timeoutMs = opts.timeoutMs ?? 2000;
    this.retryAfterMs = opts.retryAfterMs ?? 60_000;
    this.procRoot = opts.procRoot;
    this.runner = opts.run ?? execaRunner;
    this.now = opts.now ?? Date.now;
    this.onProblem = opts.onProblem;
  }

  /** The tool in use, once detected (null: none). */
  get tool(): GpuTool | null {
    return this.detected?.tool ?? null;
  }

  /**
   * Sample GPUs and attribute their processes to containers. At most one sample runs at a time
   * (a second call while one runs gets the same promise). knownIds: the engine's container ids,
   * to pick the right one for nested containers.
   */
  refresh(knownIds?: ReadonlySet<string>): Promise<GpuSnapshot> {
    if (!this.inFlight) {
      this.inFlight = this.sample(knownIds).finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async detect(): Promise<Detected | null> {
    const candidates: [GpuTool, string, string][] = [
      ['nvidia-smi', 'BERTH_NVIDIA_SMI', 'nvidia-smi'],
      ['rocm-smi', 'BERTH_ROCM_SMI', 'rocm-smi'],
    ];
    for (const [tool, envName, program] of candidates) {
      const override = this.env[envName];
      if (override !== undefined && override !== '') {
        if (DISABLED.has(override.toLowerCase())) continue;
        if (await isExecutable(override)) return { tool, file: override };
        this.detectWarnings.push(`${envName}=${override} is not an executable file; ignored`);
        continue;
      }
      const found = await findOnPath(program, this.env.PATH);
      if (found) return { tool, file: found };
    }
    return null;
  }

  private empty(): GpuSnapshot {
    return {
      available: false,
      tool: null,
      gpus: [],
      processes: [],
      byContainer: new Map(),
      warnings: [...this.detectWarnings],
      sampledAt: this.now(),
    };
  }

  private snapshot(): GpuSnapshot {
    return {
      available: true,
      tool: this.detected?.tool ?? null,
      gpus: this.last.gpus,
      processes: this.last.processes,
      byContainer: this.lastByContainer,
      ...(this.problem ? { problem: this.problem } : {}),
      warnings: [...this.detectWarnings, ...this.last.warnings],
      sampledAt: this.lastAt,
    };
  }

  private async sample(knownIds?: ReadonlySet<string>): Promise<GpuSnapshot> {
    if (this.detected === undefined) this.detected = await this.detect();
    const detected = this.detected;
    if (!detected) return this.empty();
    if (this.problem && this.now() < this.retryAt) return this.snapshot();

    let sample: Sample;
    try {
      sample =
        detected.tool === 'nvidia-smi' ? await this.sampleNvidia(detected.file) : await this.sampleRocm(detected.file);
    } catch (err) {
      // One line for the UI, whatever the tool printed.
      const message = (err instanceof Error ? err.message : String(err)).replace(/\s*\r?\n\s*/g, ' ').slice(0, 300);
      this.problem = `${detected.tool}: ${message}; next try in ${seconds(this.retryAfterMs)}`;
      this.retryAt = this.now() + this.retryAfterMs;
      if (this.reportedProblem !== message) {
        this.reportedProblem = message;
        this.onProblem?.(this.problem);
      }
      return this.snapshot();
    }

    this.problem = undefined;
    this.reportedProblem = undefined;
    this.retryAt = 0;
    this.last = sample;
    this.lastAt = this.now();
    this.lastByContainer = await gpuUseByContainer(sample.processes, sample.gpus, {
      procRoot: this.procRoot,
      knownIds,
    });
    return this.snapshot();
  }

  private async call(file: string, args: string[]): Promise<RunResult> {
    this.spawnCount++;
    const res = await this.runner(file, args, { timeoutMs: this.timeoutMs, env: this.env });
    if (res.timedOut) throw new ToolFailure(`no answer within ${seconds(this.timeoutMs)}, killed`);
    if (res.spawnError) throw new ToolFailure(`could not start (${res.spawnError})`);
    return res;
  }

  private async sampleNvidia(file: string): Promise<Sample> {
    // Both queries at once: one query-gpu and one query-compute-apps per refresh, never per container.
    const [gpuRes, appsRes] = await Promise.all([
      this.call(file, NVIDIA_QUERY_GPU_ARGS),
      this.call(file, NVIDIA_QUERY_APPS_ARGS),
    ]);
    const gpuParse = parseNvidiaQueryGpu(gpuRes.stdout);
    if (gpuParse.gpus.length === 0) {
      const why = firstLine(gpuRes.stdout, gpuRes.stderr) || `exit status ${gpuRes.exitCode}, no output`;
      throw new ToolFailure(why);
    }
    const appsParse = parseNvidiaComputeApps(appsRes.stdout, gpuParse.gpus);
    const appsText = `${appsRes.stdout}\n${appsRes.stderr}`;
    const onlyLostLines = appsText
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean)
      .every((l) => parseLostGpuLine(l) !== null);
    if (appsRes.exitCode !== 0 && appsParse.processes.length === 0 && !onlyLostLines) {
      throw new ToolFailure(`--query-compute-apps: ${firstLine(appsRes.stdout, appsRes.stderr)}`);
    }
    const stderrLines = firstLine(gpuRes.stderr) ? [firstLine(gpuRes.stderr)] : [];
    return {
      gpus: gpuParse.gpus,
      processes: appsParse.processes,
      warnings: [...new Set([...gpuParse.warnings, ...stderrLines, ...appsParse.warnings])],
    };
  }

  private async sampleRocm(file: string): Promise<Sample> {
    const res = await this.call(file, ROCM_ARGS);
    let parsed;
    try {
      parsed = parseRocmSmiJson(res.stdout);
    } catch (err) {
      const why = firstLine(res.stderr, res.stdout) || (err instanceof Error ? err.message : String(err));
      throw new ToolFailure(why);
    }
    if (parsed.gpus.length === 0 && res.exitCode !== 0) {
      throw new ToolFailure(firstLine(res.stderr, res.stdout) || `exit status ${res.exitCode}`);
    }
    return parsed;
  }
}
