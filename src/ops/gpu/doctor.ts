// Doctor checks for GPU projects, from a container's inspect result. Pure: no engine calls.
import type { Finding } from '../doctor/types.js';
import { gpuRequestOf, type GpuInspectLike } from './request.js';

export interface GpuEngineFacts {
  /** Runtime names from `docker info` (Runtimes keys), when the caller has them. */
  runtimes?: string[];
  /** CDI spec dirs the engine uses (`docker info` CDISpecDirs), when known. */
  cdiSpecDirs?: string[];
}

const COMPOSE_SNIPPET =
  'in the compose service add deploy.resources.reservations.devices: ' +
  '[{driver: nvidia, count: all, capabilities: [gpu]}] (or run with --gpus all)';

const TOOLKIT_FIX =
  'install the NVIDIA Container Toolkit on the host, run `nvidia-ctk runtime configure --runtime=docker`, ' +
  'restart dockerd, then recreate the container';

/**
 * Findings for one container of a project. projectWantsGpu: the project declares it needs a GPU
 * (its config or preset says so). Checks that the container requests a GPU and that the engine
 * can honour the request (inspect shows the device request; a failed start names the driver).
 */
export function checkGpuRequest(
  inspect: GpuInspectLike,
  projectWantsGpu: boolean,
  engine: GpuEngineFacts = {},
): Finding[] {
  const name = (inspect.Name ?? '').replace(/^\//, '') || 'container';
  const where = { container: name };
  const req = gpuRequestOf(inspect);
  const out: Finding[] = [];

  const startError = inspect.State?.Error ?? '';
  if (/could not select device driver/i.test(startError)) {
    out.push({
      id: 'gpu/driver-missing',
      severity: 'error',
      message: `${name} cannot start: the engine has no GPU device driver (${startError})`,
      where,
      fix: TOOLKIT_FIX,
    });
  } else if (/unknown or invalid runtime name: nvidia|unknown runtime specified nvidia/i.test(startError)) {
    out.push({
      id: 'gpu/runtime-missing',
      severity: 'error',
      message: `${name} asks for the nvidia runtime, which the engine does not have (${startError})`,
      where,
      fix: TOOLKIT_FIX,
    });
  }

  if (!projectWantsGpu) {
    if (req.requestsGpu) {
      out.push({
        id: 'gpu/requested',
        severity: 'info',
        message: `${name} requests GPUs (${req.how})`,
        where,
        fix: 'nothing to do; declare the GPU in the project config to have berth check it',
      });
    }
    return out;
  }

  if (!req.requestsGpu) {
    const envOnly = req.kinds.includes('env');
    out.push({
      id: 'gpu/request-missing',
      severity: 'error',
      message: envOnly
        ? `${name} sets NVIDIA_VISIBLE_DEVICES=${req.visibleDevicesEnv} but requests no GPU: under runc that variable does nothing`
        : `${name} does not request a GPU (no device request, nvidia runtime or GPU devices in inspect)`,
      where,
      fix: COMPOSE_SNIPPET,
    });
    return out;
  }

  const usesRuntime = req.kinds.includes('runtime');
  const usesRequest = req.kinds.includes('device-request');
  if (engine.runtimes && (usesRuntime || usesRequest) && req.vendor === 'nvidia') {
    const hasNvidia = engine.runtimes.includes('nvidia');
    const hasCdi = (engine.cdiSpecDirs ?? []).length > 0;
    if (usesRuntime && !hasNvidia) {
      out.push({
        id: 'gpu/runtime-missing',
        severity: 'error',
        message: `${name} uses the nvidia runtime, but the engine lists only: ${engine.runtimes.join(', ') || 'none'}`,
        where,
        fix: TOOLKIT_FIX,
      });
    } else if (usesRequest && !hasNvidia && !hasCdi) {
      out.push({
        id: 'gpu/runtime-missing',
        severity: 'warning',
        message: `${name} requests GPUs (${req.how}), but the engine shows no nvidia runtime and no CDI specs`,
        where,
        fix: TOOLKIT_FIX,
      });
    }
  }

  if (!out.some((f) => f.severity === 'error')) {
    out.push({
      id: 'gpu/requested',
      severity: 'info',
      message: `${name} requests GPUs (${req.how})`,
      where,
      fix: 'nothing to do',
    });
  }
  return out;
}
