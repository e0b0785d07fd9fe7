// Filling the bench engine with containers through the Engine API (no docker CLI per
// container: far cheaper when creating hundreds).
import http from 'node:http';
import { hostToRequestOptions } from '../../test/harness/daemon.js';

export const BENCH_LABEL = 'berth.bench';
/** Containers are spread over this many compose-style projects, as berth groups them. */
export const PROJECTS = 10;
/** One container in this many does light periodic work instead of sleeping. */
export const BUSY_EVERY = 10;

export function api(host, method, urlPath, body, timeoutMs = 60_000) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      {
        ...hostToRequestOptions(host),
        method,
        path: urlPath,
        timeout: timeoutMs,
        headers: data ? { 'content-type': 'application/json', 'content-length': data.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // plain text
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** Name of the i-th bench container (1-based): bench-p03-c017. */
export function containerName(i) {
  const project = ((i - 1) % PROJECTS) + 1;
  return `bench-p${String(project).padStart(2, '0')}-c${String(i).padStart(3, '0')}`;
}

/** Matches any bench container name on screen. */
export const NAME_RE = /bench-p\d\d-c\d\d\d/;

function spec(i, image) {
  const project = `bench-p${String(((i - 1) % PROJECTS) + 1).padStart(2, '0')}`;
  const busy = i % BUSY_EVERY === 0;
  return {
    Image: image,
    // mostly idle, like agent containers waiting for input; a few wake up 5 times a second
    Cmd: busy ? ['sh', '-c', 'while :; do usleep 200000; done'] : ['sleep', '100000'],
    Labels: {
      [BENCH_LABEL]: '1',
      'com.docker.compose.project': project,
      'com.docker.compose.service': `c${String(i).padStart(3, '0')}`,
    },
    HostConfig: { NetworkMode: 'none', Init: false },
  };
}

async function createOne(host, i, image) {
  const name = containerName(i);
  const created = await api(host, 'POST', `/containers/create?name=${name}`, spec(i, image));
  if (created.status !== 201) throw new Error(`creating ${name}: ${created.status} ${JSON.stringify(created.body)}`);
  const started = await api(host, 'POST', `/containers/${created.body.Id}/start`);
  if (started.status !== 204 && started.status !== 304) {
    throw new Error(`starting ${name}: ${started.status} ${JSON.stringify(started.body)}`);
  }
}

/** Running bench containers on the engine. */
export async function countRunning(host) {
  const filters = encodeURIComponent(JSON.stringify({ label: [`${BENCH_LABEL}=1`], status: ['running'] }));
  const r = await api(host, 'GET', `/containers/json?filters=${filters}`);
  if (r.status !== 200) throw new Error(`listing containers: ${r.status}`);
  return r.body.length;
}

/**
 * Creates and starts bench containers number from..to (1-based, inclusive), `parallel`
 * at a time. Calls onProgress(done) now and then.
 */
export async function fillTo(host, from, to, { image, parallel = 6, onProgress = () => {} } = {}) {
  let next = from;
  let done = 0;
  const worker = async () => {
    while (next <= to) {
      const i = next++;
      await createOne(host, i, image);
      done++;
      if (done % 25 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
}
