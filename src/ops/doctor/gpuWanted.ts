// Which compose services ask for a GPU: `runtime: nvidia`, `gpus:` (compose spec), or a
// device reservation with the gpu capability / the nvidia driver. Pure.
import { isRecord, type ComposeFile } from '../compose/file.js';

export function serviceWantsGpu(svc: Record<string, unknown>): boolean {
  if (svc.runtime === 'nvidia') return true;
  if (svc.gpus !== undefined && svc.gpus !== null) return true;
  const deploy = isRecord(svc.deploy) ? svc.deploy : null;
  const resources = deploy && isRecord(deploy.resources) ? deploy.resources : null;
  const reservations = resources && isRecord(resources.reservations) ? resources.reservations : null;
  const devices = reservations && Array.isArray(reservations.devices) ? reservations.devices : [];
  return devices.some((d) => {
    if (!isRecord(d)) return false;
    const caps = Array.isArray(d.capabilities) ? d.capabilities.flat() : [];
    return caps.includes('gpu') || d.driver === 'nvidia' || d.driver === 'amd';
  });
}

/** Names of the services of a compose file that ask for a GPU. */
export function gpuServices(compose: ComposeFile): Set<string> {
  const out = new Set<string>();
  for (const [name, svc] of Object.entries(compose.services)) {
    if (isRecord(svc) && serviceWantsGpu(svc)) out.add(name);
  }
  return out;
}
