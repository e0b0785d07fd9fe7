// The results of a dashboard bench run as Markdown, and writing them into bench/README.md
// between the results markers.
import fs from 'node:fs';

export const BEGIN = '<!-- bench:results:begin (written by bench/dashboard.mjs) -->';
export const END = '<!-- bench:results:end -->';

const TARGETS = {
  app: { max: 1, text: '< 1 (below docker stats)' },
  engine: { max: 0.1, text: '< 0.1' },
  bytes: { max: 0.2, text: '< 0.2' },
};

const f1 = (x) => (x === null || x === undefined ? 'n/a' : x.toFixed(1));
const f2 = (x) => (x === null || x === undefined ? 'n/a' : (Math.abs(x) < 0.005 ? 0 : x).toFixed(2));
const sec = (ms) => (ms === null || ms === undefined ? 'none in 60 s' : (ms / 1000).toFixed(2));
const mib = (kb) => (kb / 1024).toFixed(0);
const int = (x) => Math.round(x).toLocaleString('en-US');

function ratio(b, s, target) {
  if (b === null || b === undefined || !(s > 0)) return { text: 'n/a', met: null };
  const r = Math.max(0, b) / s;
  const met = target ? r < target.max : null;
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
    ...results.flatMap((r) => [r.idleBefore, r.berth, r.dockerStats, r.idleAfter].flatMap((w) => [w.loadStart, w.loadEnd])),
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

  const head = ['Figure'];
  const rule = ['---'];
  for (const r of results) {
    head.push(`N=${r.n} berth`, `N=${r.n} docker stats`, `N=${r.n} berth ÷ stats`);
    rule.push('---:', '---:', '---:');
  }
  head.push('Target (ratio)');
  rule.push('---');
  L.push(`| ${head.join(' | ')} |`);
  L.push(`| ${rule.join(' | ')} |`);
  const row = (label, get, fmt, target) => {
    const cells = [label];
    for (const r of results) {
      const b = get(r.berth);
      const st = get(r.dockerStats);
      cells.push(fmt(b), fmt(st), ratio(b, st, target).text);
    }
    cells.push(target ? target.text : '');
    L.push(`| ${cells.join(' | ')} |`);
  };
  row('App CPU, % of one core', (x) => x.appCpuPct, f1, TARGETS.app);
  row('Engine extra CPU, % of one core', (x) => x.engineExtraPct, f2, TARGETS.engine);
  row('Terminal output, bytes/s', (x) => x.bytesPerSec, int, TARGETS.bytes);
  row('Peak RSS, MiB', (x) => x.peakRssKb, mib, null);
  row('First frame with container names, s', (x) => x.ttffNamesMs, sec, null);
  row('First frame with CPU figures, s', (x) => x.ttffFiguresMs, sec, null);
  row('CPU used until that frame, s', (x) => x.ttffCpuMs, sec, null);
  L.push('');

  L.push('Targets:');
  for (const r of results) {
    const parts = [
      ['berth CPU below docker stats', ratio(r.berth.appCpuPct, r.dockerStats.appCpuPct, TARGETS.app)],
      ['engine extra CPU under a tenth', ratio(r.berth.engineExtraPct, r.dockerStats.engineExtraPct, TARGETS.engine)],
      ['terminal bytes/s under a fifth', ratio(r.berth.bytesPerSec, r.dockerStats.bytesPerSec, TARGETS.bytes)],
    ];
    L.push(
      `- N=${r.n}: ` +
        parts.map(([name, x]) => `${name}: ${x.met === null ? 'n/a' : x.met ? 'met' : '**missed**'} (ratio ${x.r === undefined ? 'n/a' : x.r.toFixed(3)})`).join('; ') +
        '.',
    );
  }
  L.push('');

  L.push('Engine CPU in detail (% of one core, this engine only: dockerd + containerd + shims):');
  L.push('');
  L.push('| N | shims | idle before | idle after | during berth | during docker stats | docker stats: dockerd / containerd / shims |');
  L.push('| ---: | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const r of results) {
    const p = r.dockerStats.engine.parts;
    L.push(
      `| ${r.n} | ${r.shims} | ${f2(r.idleBefore.engine.total)} | ${f2(r.idleAfter.engine.total)} | ${f2(r.berth.engine.total)} | ` +
        `${f2(r.dockerStats.engine.total)} | ${f2(p.dockerd)} / ${f2(p.containerd)} / ${f2(p.shims)} |`,
    );
  }
  L.push('');
  L.push('Machine load in each window: 1-minute load average at start→end (cores busy on average, all processes):');
  L.push('');
  L.push('| N | idle before | berth | docker stats | idle after | first-frame launches (load) |');
  L.push('| ---: | --- | --- | --- | --- | --- |');
  for (const r of results) {
    L.push(
      `| ${r.n} | ${loadPair(r.idleBefore)} | ${loadPair(r.berth)} | ${loadPair(r.dockerStats)} | ${loadPair(r.idleAfter)} | ` +
        `${r.ttffLoad.map((x) => x.toFixed(1)).join('→')} |`,
    );
  }
  L.push('');
  L.push('First-frame launches, s (names / figures / CPU used until figures):');
  L.push('');
  for (const r of results) {
    const fmt = (xs) => xs.map((x) => `${sec(x.names)} / ${sec(x.figures)} / ${sec(x.figuresCpu)}`).join(', ');
    L.push(`- N=${r.n}: berth ${fmt(r.berth.ttff)}; docker stats ${fmt(r.dockerStats.ttff)}`);
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
