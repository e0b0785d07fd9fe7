// What engine tests ask of volumes: whether one exists, and a fingerprint of its content
// (or of a host folder, read by the same tools in a container) to compare trees exactly.
import type { TestEngine } from './engine.js';

/** Every entry: "path|mode|uid|gid|type|link" lines, then "sha256  path" lines (computed in a container). */
export async function fingerprint(te: TestEngine, volumeOrFolder: string): Promise<string[]> {
  const script = "cd /d && find . -exec stat -c '%n|%a|%u|%g|%F|%N' {} + | sort && find . -type f -exec sha256sum {} + | sort";
  const r = await te.dockerCli(['run', '--rm', '--label', 'berth.test=1', '--network', 'none', '-v', `${volumeOrFolder}:/d:ro`, te.image, 'sh', '-c', script]);
  return r.stdout.trim().split('\n');
}

export async function volumeExists(te: TestEngine, name: string): Promise<boolean> {
  try {
    await te.docker.getVolume(name).inspect();
    return true;
  } catch {
    return false;
  }
}
