import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkGpuRequest, containerRequestsGpu, gpuRequestOf, type GpuInspectLike } from '../../../src/ops/gpu/index.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'inspect');
const inspect = (name: string): GpuInspectLike => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));

describe('containerRequestsGpu', () => {
  it.each([
    ['plain.json', false, ''],
    ['gpus-all.json', true, '--gpus all'],
    ['gpus-device-0-1.json', true, '--gpus device=0,1'],
    ['compose-deploy-nvidia.json', true, 'device request nvidia count=1'],
    ['amd-devices.json', true, 'devices /dev/kfd,/dev/dri'],
    // The variable alone does nothing under runc (CUDA base images set it for everyone).
    ['nvidia-visible-devices-env.json', false, ''],
  ])('%s -> requestsGpu %s (%s)', (file, requestsGpu, how) => {
    expect(containerRequestsGpu(inspect(file))).toEqual({ requestsGpu, how });
  });

  it('names the vendor and the kinds of request', () => {
    expect(gpuRequestOf(inspect('amd-devices.json'))).toMatchObject({ vendor: 'amd', kinds: ['amd-devices'] });
    expect(gpuRequestOf(inspect('gpus-all.json'))).toMatchObject({ vendor: 'nvidia', kinds: ['device-request'] });
    expect(gpuRequestOf(inspect('nvidia-visible-devices-env.json'))).toMatchObject({
      requestsGpu: false,
      kinds: ['env'],
      visibleDevicesEnv: 'all',
    });
  });

  it('reads the nvidia runtime, /dev/nvidia* devices and CDI names', () => {
    const base = inspect('plain.json');
    const runtime = { ...base, HostConfig: { ...base.HostConfig, Runtime: 'nvidia' } };
    expect(containerRequestsGpu(runtime)).toEqual({ requestsGpu: true, how: 'runtime nvidia' });

    const devices = {
      ...base,
      HostConfig: {
        ...base.HostConfig,
        Devices: [
          { PathOnHost: '/dev/nvidia0', PathInContainer: '/dev/nvidia0', CgroupPermissions: 'rwm' },
          { PathOnHost: '/dev/nvidiactl', PathInContainer: '/dev/nvidiactl', CgroupPermissions: 'rwm' },
        ],
      },
    };
    expect(containerRequestsGpu(devices)).toEqual({ requestsGpu: true, how: 'devices /dev/nvidia0,/dev/nvidiactl' });

    const cdi = {
      ...base,
      HostConfig: { ...base.HostConfig, DeviceRequests: [{ Driver: 'cdi', DeviceIDs: ['nvidia.com/gpu=all'], Capabilities: null }] },
    };
    expect(gpuRequestOf(cdi)).toMatchObject({ requestsGpu: true, how: 'CDI nvidia.com/gpu=all', kinds: ['cdi'] });

    // /dev/dri alone is a render node (Intel, display), not a compute GPU request.
    const driOnly = {
      ...base,
      HostConfig: { ...base.HostConfig, Devices: [{ PathOnHost: '/dev/dri', PathInContainer: '/dev/dri' }] },
    };
    expect(containerRequestsGpu(driOnly).requestsGpu).toBe(false);
  });
});

describe('checkGpuRequest (doctor)', () => {
  it('is an error when a GPU project has a container that requests none', () => {
    const findings = checkGpuRequest(inspect('plain.json'), true);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: 'gpu/request-missing', severity: 'error' });
    expect(findings[0].fix).toMatch(/deploy\.resources\.reservations\.devices/);
  });

  it('explains that NVIDIA_VISIBLE_DEVICES alone does nothing', () => {
    const [f] = checkGpuRequest(inspect('nvidia-visible-devices-env.json'), true);
    expect(f).toMatchObject({ id: 'gpu/request-missing', severity: 'error' });
    expect(f.message).toMatch(/NVIDIA_VISIBLE_DEVICES=all/);
  });

  it('passes a container whose inspect shows the device request', () => {
    const findings = checkGpuRequest(inspect('compose-deploy-nvidia.json'), true, { runtimes: ['runc', 'nvidia'] });
    expect(findings.map((f) => [f.id, f.severity])).toEqual([['gpu/requested', 'info']]);
  });

  it('warns when the engine shows no nvidia runtime for a device request', () => {
    const findings = checkGpuRequest(inspect('gpus-all.json'), true, { runtimes: ['io.containerd.runc.v2', 'runc'] });
    expect(findings.map((f) => [f.id, f.severity])).toEqual([
      ['gpu/runtime-missing', 'warning'],
      ['gpu/requested', 'info'],
    ]);
  });

  it('is an error when the container failed to start for want of a GPU driver', () => {
    const findings = checkGpuRequest(inspect('gpus-all-start-failed.json'), true);
    expect(findings[0]).toMatchObject({ id: 'gpu/driver-missing', severity: 'error' });
    expect(findings[0].message).toMatch(/could not select device driver "" with capabilities: \[\[gpu\]\]/);
    expect(findings[0].fix).toMatch(/nvidia-ctk runtime configure/);
    expect(findings[0].where).toEqual({ container: 'gpu-probe-start' });
  });

  it('only informs when a project that wants no GPU has a container requesting one', () => {
    expect(checkGpuRequest(inspect('gpus-all.json'), false).map((f) => f.severity)).toEqual(['info']);
    expect(checkGpuRequest(inspect('plain.json'), false)).toEqual([]);
  });
});
