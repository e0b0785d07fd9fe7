// The results of a dashboard bench run as Markdown, and writing them into bench/README.md
// between the results markers.
import fs from 'node:fs';

export const BEGIN = '<!-- bench:results:begin (written by bench/dashboard.mjs) -->';
export const END = '<!-- bench:results:end -->';

const TARGETS = {
  app: { max: 0.5, text: '≤ 0.5' },
  engine: { max: 0.1, text: '≤ 0.1' },
  bytes: { max: 0.05, text: '≤ 0.05' },
};

/** First-frame and memory targets (absolute). */
const LIMITS = { warmFiguresMs: 150, coldNamesMs: 600, clientRssMiB: 45, serverRssMiB200: 150 };

const f1 = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(1));
const f2 = (x) => (x === null || x === undefined ? 'n/a' : (Math.abs(x) < 0.005 ? 0 : x).toFixed(2));
const sec = (ms) => (ms === null || ms === undefined ? 'none in 60 s' : (ms / 1000).toFixed(2));
const mib = (kb) => (kb / 1024).toFixed(0);
const int = (x) => Math.round(x).toLocaleString('en-US');

function ratio(b, s, target) {
  if (b === null || b === undefined || !(s > 0)) return { text: 'n/a', met: null };
  const r = Math.max(0, b) / s;
  const met = target ? r <= target.max : null;
  const shown = r < 0.01 && r > 0 ? '<0.01' : r.toFixed(2);
  return { text: `${shown}${met === null ? '' : met ? ' met' : ' **MISSED**'}`, met, r };
}

function loadPair(w) {
  return `${w.loadStart.toFixed(1)}→${w.loadEnd.toFixed(1)} (${w.coresBusy.toFixed(1)})`;
}

export function renderReport(run) {
  const { facts: m, settings: s, results } = run;
  const L = [];
  const date = run.date.replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  L.push(`Run of ${date}, ${Math.round(run.durationS / 60)} min in all.`);
  L.push('');
  L.push(
    `Machine: ${m.cores} cores (${m.cpuModel}), ${m.memGiB.toFixed(1)} GiB memory, kernel ${m.kernel}, ` +
      `cgroup ${m.cgroup} (${m.cgroupDriver} driver), dockerd ${m.dockerd}, docker CLI ${m.dockerCli}, node ${m.node}. ` +
      `Load average (1/5/15 min) at the start ${m.loadAtStart.map((x) => x.toFixed(2)).join(' / ')}, ` +
      `at the end ${m.loadAtEnd.map((x) => x.toFixed(2)).join(' / ')}; ${m.otherDockerds} other dockerd process(es) were running on the machine.`,
  );
  L.push('');
  L.push(
    `Settings: ${s.cols}x${s.rows} tmux pane, ${s.warmup} s warm-up then a ${s.seconds} s window per program, ` +
      `engine baseline = mean of two ${s.seconds} s windows with no app (before and after), ` +
      `first frame = median of ${s.runs} launches. Containers: busybox \`sleep 100000\`, one in ${s.busyEvery} running ` +
      `\`while :; do usleep 200000; done\`, spread over ${s.projects} compose projects.`,
  );
  const busiest = Math.max(
    ...results.flatMap((r) => [r.idleBefore, r.berth, r.berth2, r.dockerStats, r.idleAfter].flatMap((w) => [w.loadStart, w.loadEnd])),
  );
  if (busiest > m.cores) {
    L.push('');
    L.push(
      `**The machine was busy during this run** (1-minute load up to ${busiest.toFixed(1)} on ${m.cores} cores, ` +
        'from other work on the machine and from the bench\'s own burst of container starts): on a contended machine ' +
        'the same work costs more CPU time and absolute figures move from run to run, and times to first frame ' +
        'include waiting for a free core. Compare the two programs through their ratios, measured back to back.',
    );
  }
  L.push('');

  L.push('Steady state (the dashboard open, nothing pressed). berth = one terminal on the berth server; ');
  L.push('berth ×2 = two terminals on the same server; their CPU is client(s) + server; bytes are per terminal.');
  L.push('');
  const head = ['Figure'];
  const rule = ['---'];
  for (const r of results) {
    head.push(`N=${r.n} berth`, `N=${r.n} berth ×2`, `N=${r.n} docker stats`, `N=${r.n} berth ÷ stats`, `N=${r.n} berth ×2 ÷ stats`);
    rule.push('---:', '---:', '---:', '---:', '---:');
  }
  head.push('Target (ratio)');
  rule.push('---');
  L.push(`| ${head.join(' | ')} |`);
  L.push(`| ${rule.join(' | ')} |`);
  const row = (label, get, fmt, target) => {
    const cells = [label];
    for (const r of results) {
      const b = get(r.berth);
      const b2 = get(r.berth2);
      const st = get(r.dockerStats);
      cells.push(fmt(b), fmt(b2), fmt(st), ratio(b, st, target).text, ratio(b2, st, target).text);
    }
    cells.push(target ? target.text : '');
    L.push(`| ${cells.join(' | ')} |`);
  };
  const fmtOrDash = (fmt) => (x) => (x === null || x === undefined ? '–' : fmt(x));
  row('App CPU, % of one core', (x) => x.appCpuPct, f1, TARGETS.app);
  row('Engine extra CPU, % of one core', (x) => x.engineExtraPct, f2, TARGETS.engine);
  row('Terminal output, bytes/s', (x) => x.bytesPerSec, int, TARGETS.bytes);
  row('Peak RSS of a client (docker stats: the program), MiB', (x) => x.peakRssKb, mib, null);
  row('Peak RSS of the berth server, MiB', (x) => x.serverPeakRssKb, fmtOrDash(mib), null);
  L.push('');

  const ms = (x) => (x === null || x === undefined ? '–' : `${Math.round(x)}`);
  L.push(`First frame (median of ${s.runs} launches in a fresh tmux pane, polled every 20 ms): until a container name shows, `);
  L.push('until a name with a CPU figure shows, the CPU used until then (berth: client and server), and resident memory at that frame. ');
  L.push('berth cold = no berth server running (the client starts it); warm = the server runs (left by the launch before). ');
  L.push('node = `node -e` printing one line: what starting Node itself costs.');
  L.push('');
  L.push('| N | program | names, ms | CPU figures, ms | CPU until then, ms | client RSS, MiB | server RSS, MiB |');
  L.push('| ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  const progs = [['node', 'node (baseline)'], ['dockerPs', 'docker ps'], ['dockerStats', 'docker stats'], ['berthCold', 'berth, cold'], ['berthWarm', 'berth, warm']];
  for (const r of results) {
    for (const [k, label] of progs) {
      const t = r.ttff[k];
      L.push(`| ${r.n} | ${label} | ${ms(t.namesMs)} | ${k === 'dockerPs' ? '–' : ms(t.figuresMs)} | ${ms(t.cpuMs)} | ${t.clientRssKb ? mib(t.clientRssKb) : '–'} | ${t.serverRssKb ? mib(t.serverRssKb) : '–'} |`);
    }
  }
  L.push('');

  L.push('Targets:');
  for (const r of results) {
    const parts = [
      ['berth CPU at most half of docker stats', ratio(r.berth.appCpuPct, r.dockerStats.appCpuPct, TARGETS.app)],
      ['two clients too', ratio(r.berth2.appCpuPct, r.dockerStats.appCpuPct, TARGETS.app)],
      ['engine extra CPU at most a tenth', ratio(r.berth.engineExtraPct, r.dockerStats.engineExtraPct, TARGETS.engine)],
      ['terminal bytes/s at most a twentieth', ratio(r.berth.bytesPerSec, r.dockerStats.bytesPerSec, TARGETS.bytes)],
    ];
    const abs = (name, value, limit, unit) =>
      `${name} ${value === null || value === undefined ? 'n/a' : `${Math.round(value)} ${unit}`} (≤ ${limit} ${unit}: ${value === null || value === undefined ? 'n/a' : value <= limit ? 'met' : '**missed**'})`;
    const serverPeak = Math.max(r.berth.serverPeakRssKb ?? 0, r.berth2.serverPeakRssKb ?? 0) / 1024;
    L.push(
      `- N=${r.n}: ` +
        parts.map(([name, x]) => `${name}: ${x.met === null ? 'n/a' : x.met ? 'met' : '**missed**'} (ratio ${x.r === undefined ? 'n/a' : x.r.toFixed(3)})`).join('; ') +
        `; ${abs('warm first frame with figures', r.ttff.berthWarm.figuresMs, LIMITS.warmFiguresMs, 'ms')}` +
        `; ${abs('cold first frame with names', r.ttff.berthCold.namesMs, LIMITS.coldNamesMs, 'ms')}` +
        `; ${abs('client peak RSS', Math.max(r.berth.peakRssKb, r.berth2.peakRssKb) / 1024, LIMITS.clientRssMiB, 'MiB')}` +
        (r.n >= 200 ? `; ${abs('server peak RSS', serverPeak, LIMITS.serverRssMiB200, 'MiB')}` : `; server peak RSS ${Math.round(serverPeak)} MiB`) +
        '.',
    );
  }
  L.push('');

  L.push('Engine CPU in detail (% of one core, this engine only: dockerd + containerd + shims):');
  L.push('');
  L.push('| N | shims | idle before | idle after | during berth | during berth ×2 | during docker stats | docker stats: dockerd / containerd / shims |');
  L.push('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const p = r.dockerStats.engine.parts;
    L.push(
      `| ${r.n} | ${r.shims} | ${f2(r.idleBefore.engine.total)} | ${f2(r.idleAfter.engine.total)} | ${f2(r.berth.engine.total)} | ` +
        `${f2(r.berth2.engine.total)} | ${f2(r.dockerStats.engine.total)} | ${f2(p.dockerd)} / ${f2(p.containerd)} / ${f2(p.shims)} |`,
    );
  }
  L.push('');
  L.push('Machine load in each window: 1-minute load average at start→end (cores busy on average, all processes):');
  L.push('');
  L.push('| N | idle before | berth | berth ×2 | docker stats | idle after | first-frame launches (load) |');
  L.push('| ---: | --- | --- | --- | --- | --- | --- |');
  for (const r of results) {
    L.push(
      `| ${r.n} | ${loadPair(r.idleBefore)} | ${loadPair(r.berth)} | ${loadPair(r.berth2)} | ${loadPair(r.dockerStats)} | ${loadPair(r.idleAfter)} | ` +
        `${r.ttffLoad.map((x) => x.toFixed(1)).join('→')} |`,
    );
  }
  L.push('');
  L.push('First-frame launches, ms (names / figures / CPU used until figures):');
  L.push('');
  for (const r of results) {
    const fmt = (xs) => xs.map((x) => `${ms(x.names)} / ${ms(x.figures)} / ${ms(x.figuresCpu ?? x.namesCpu)}`).join(', ');
    L.push(`- N=${r.n}: ${progs.map(([k, label]) => `${label} ${fmt(r.ttff[k].runs)}`).join('; ')}`);
  }
  return L.join('\n');
}

/** Puts `report` between the markers in the README (adding a Results section if needed). */
export function updateReadme(file, report) {
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmarks\n';
  const block = `${BEGIN}\n${report}\n${END}`;
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a >= 0 && b > a) text = text.slice(0, a) + block + text.slice(b + END.length);
  else text = `${text.trimEnd()}\n\n## Results\n\n${block}\n`;
  fs.writeFileSync(file, text);
}
