// What each group of rules is given to look at.
import type Dockerode from 'dockerode';
import type { ComposeFile, PathSeg } from '../compose/file.js';
import type { ParsedDockerfile } from './dockerfile.js';
import type { Where } from './types.js';

export interface ComposeCtx {
  compose: ComposeFile;
  /** The file name as findings show it (relative to the project folder). */
  display: string;
  /** Home folder used to expand ~ in bind mounts. */
  home: string;
  /** The parsed Dockerfile a service builds from, when it has one on disk. */
  dockerfileFor(service: string): ParsedDockerfile | null;
  where(segs: PathSeg[], which?: 'value' | 'key'): Where;
}

export interface DockerfileCtx {
  parsed: ParsedDockerfile;
  display: string;
}

export interface ProjectCtx {
  name: string;
  dir: string;
  compose: ComposeFile;
  display: string;
  where(segs: PathSeg[], which?: 'value' | 'key'): Where;
  /** Other projects berth knows (user config), with their compose files when found. */
  others: { name: string; compose: ComposeFile }[];
}

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ContainerCtx {
  docker: Dockerode;
  info: Dockerode.ContainerInspectInfo;
  /** Name without the leading slash. */
  name: string;
  /** The engine runs on this machine, so bind-mount sources can be checked with stat. */
  local: boolean;
  projectDir: string | null;
  /** The project's compose file asks for a GPU for this container's service. */
  wantsGpu?: boolean;
  /** Runtime names the engine has (`docker info` Runtimes), when known. */
  runtimes?: string[];
  /** Runs a command in the (running) container; resolves with its exit code and output. */
  exec(cmd: string[], timeoutMs?: number): Promise<ExecResult>;
}
