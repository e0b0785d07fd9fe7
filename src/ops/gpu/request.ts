// Does a container ask for GPUs? Read from its inspect result, so idle containers are marked too.

/** The parts of a dockerode ContainerInspectInfo this module reads (all optional). */
export interface GpuInspectLike {
  Name?: string;
  Config?: { Env?: string[] | null } | null;
  HostConfig?: {
    Runtime?: string | null;
    DeviceRequests?:
      | {
          Driver?: string | null;
          Count?: number | null;
          DeviceIDs?: string[] | null;
          Capabilities?: string[][] | null;
        }[]
      | null;
    Devices?: { PathOnHost?: string; PathInContainer?: string }[] | null;
  } | null;
  State?: { Error?: string | null } | null;
}

export type GpuRequestKind = 'device-request' | 'cdi' | 'runtime' | 'env' | 'nvidia-devices' | 'amd-devices';

export interface GpuRequest {
  requestsGpu: boolean;
  /** Human text, e.g. "--gpus all", "--gpus device=0,1", "runtime nvidia". Empty when none. */
  how: string;
  vendor: 'nvidia' | 'amd' | null;
  kinds: GpuRequestKind[];
  /** NVIDIA_VISIBLE_DEVICES from the container's env (image or run), when set. */
  visibleDevicesEnv: string | null;
}

function envValue(env: string[] | null | undefined, name: string): string | undefined {
  for (const e of env ?? []) {
    const eq = e.indexOf('=');
    if (eq > 0 && e.slice(0, eq) === name) return e.slice(eq + 1);
  }
  return undefined;
}

function describeRequest(r: { Count?: number | null; DeviceIDs?: string[] | null }): string {
  if (r.DeviceIDs && r.DeviceIDs.length > 0) return `device=${r.DeviceIDs.join(',')}`;
  if (r.Count === -1) return 'all';
  if (typeof r.Count === 'number' && r.Count > 0) return `count=${r.Count}`;
  return 'all';
}

/**
 * How a container requests GPUs: device requests (`--gpus`, compose `deploy.resources.
 * reservations.devices`), CDI names, the nvidia runtime, NVIDIA_VISIBLE_DEVICES, or the device
 * nodes themselves (/dev/nvidia*, AMD's /dev/kfd + /dev/dri).
 */
export function gpuRequestOf(inspect: GpuInspectLike): GpuRequest {
  const hc = inspect.HostConfig ?? {};
  const parts: string[] = [];
  const kinds: GpuRequestKind[] = [];
  let vendor: 'nvidia' | 'amd' | null = null;

  for (const r of hc.DeviceRequests ?? []) {
    const caps = (r.Capabilities ?? []).flat();
    const driver = (r.Driver ?? '').toLowerCase();
    const ids = r.DeviceIDs ?? [];
    if (driver === 'cdi' || ids.some((id) => /^[\w.-]+\/gpu=/.test(id))) {
      const amd = ids.some((id) => id.startsWith('amd.com/'));
      parts.push(`CDI ${ids.join(',')}`);
      kinds.push('cdi');
      vendor ??= amd ? 'amd' : 'nvidia';
      continue;
    }
    if (caps.includes('gpu') || driver === 'nvidia') {
      const what = describeRequest(r);
      parts.push(driver === 'nvidia' ? `device request nvidia ${what}` : `--gpus ${what}`);
      kinds.push('device-request');
      vendor ??= 'nvidia';
    }
  }

  if ((hc.Runtime ?? '') === 'nvidia') {
    parts.push('runtime nvidia');
    kinds.push('runtime');
    vendor ??= 'nvidia';
  }

  const visible = envValue(inspect.Config?.Env, 'NVIDIA_VISIBLE_DEVICES');
  if (visible !== undefined && !['', 'void', 'none'].includes(visible.trim().toLowerCase())) {
    kinds.push('env');
    if (kinds.includes('runtime')) parts.push(`NVIDIA_VISIBLE_DEVICES=${visible}`);
  }

  const devices = (hc.Devices ?? []).map((d) => d.PathInContainer || d.PathOnHost || '');
  const nvidiaDevs = devices.filter((d) => /^\/dev\/nvidia(\d+|ctl|-uvm|-uvm-tools|-modeset)?$/.test(d));
  if (nvidiaDevs.some((d) => /^\/dev\/nvidia\d+$/.test(d))) {
    parts.push(`devices ${nvidiaDevs.join(',')}`);
    kinds.push('nvidia-devices');
    vendor ??= 'nvidia';
  }
  const kfd = devices.includes('/dev/kfd');
  const dri = devices.filter((d) => d === '/dev/dri' || d.startsWith('/dev/dri/'));
  if (kfd && dri.length > 0) {
    parts.push(`devices /dev/kfd,${dri.join(',')}`);
    kinds.push('amd-devices');
    vendor ??= 'amd';
  }

  // NVIDIA_VISIBLE_DEVICES alone does nothing under runc (CUDA base images set it anyway): it
  // only selects GPUs for the nvidia runtime. It is kept in `kinds` for the doctor.
  const requestsGpu = kinds.some((k) => k !== 'env');
  return {
    requestsGpu,
    how: requestsGpu ? parts.join('; ') : '',
    vendor: requestsGpu ? vendor : null,
    kinds,
    visibleDevicesEnv: visible ?? null,
  };
}

/** The pure function the brief names: { requestsGpu, how }. */
export function containerRequestsGpu(inspect: GpuInspectLike): { requestsGpu: boolean; how: string } {
  const r = gpuRequestOf(inspect);
  return { requestsGpu: r.requestsGpu, how: r.how };
}
