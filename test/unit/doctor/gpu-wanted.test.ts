import { describe, expect, it } from 'vitest';
import { serviceWantsGpu } from '../../../src/ops/doctor/gpuWanted.js';

describe('serviceWantsGpu', () => {
  it('recognises the ways a compose service asks for a GPU', () => {
    expect(serviceWantsGpu({ runtime: 'nvidia' })).toBe(true);
    expect(serviceWantsGpu({ gpus: 'all' })).toBe(true);
    expect(serviceWantsGpu({ deploy: { resources: { reservations: { devices: [{ capabilities: ['gpu'] }] } } } })).toBe(true);
    expect(serviceWantsGpu({ deploy: { resources: { reservations: { devices: [{ driver: 'nvidia', count: 1 }] } } } })).toBe(true);
  });
  it('does not flag plain services or other devices', () => {
    expect(serviceWantsGpu({ image: 'x' })).toBe(false);
    expect(serviceWantsGpu({ deploy: { resources: { limits: { cpus: '2' } } } })).toBe(false);
    expect(serviceWantsGpu({ deploy: { resources: { reservations: { devices: [{ capabilities: ['tpu'], driver: 'x' }] } } } })).toBe(false);
    expect(serviceWantsGpu({ runtime: 'runc' })).toBe(false);
  });
});
