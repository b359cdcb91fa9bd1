#!/usr/bin/env node
// Cold start of every action's bundle, as the runner starts it: a new `node` process per step.
// Prints, per action, the median wall time of a trivial run (no inputs: parse inputs, fail fast;
// maintenance-window, whose inputs are all optional, runs a whole check with the default policy)
// next to `node -e 0` and next to a bundle that only imports @actions/core (the floor every action
// pays), the ratios, and each bundle's size. Targets: ≤ 1.15× the core-only bundle, ≤ 1 MB.
// On a shared machine the speed drifts during a run; "paired" is the median over rounds of each
// round's action/floor ratio (the two ran back to back), which drift moves least. The verdict uses it.
// Usage: npm run build && node bench/cold-start.mjs [runs=15]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle } from '../scripts/bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv[2] ?? 15);
const node = process.execPath;

// The floor: a bundle that imports @actions/core and reads one input, built the same way.
const floorDir = mkdtempSync(join(root, '.tmp', 'floor-'));
writeFileSync(join(floorDir, 'index.js'), "import * as core from '@actions/core';\ncore.getInput('x');\n");
const { code } = await bundle(join(floorDir, 'index.js'));
const floorBundle = join(mkdtempSync(join(tmpdir(), 'floor-out-')), 'index.mjs');
writeFileSync(floorBundle, code);

const actions = readdirSync(join(root, 'actions')).filter((a) =>
  existsSync(join(root, 'actions', a, 'dist', 'index.js')),
);
const subjects = [
  { name: 'node -e 0', argv: ['-e', '0'] },
  { name: '@actions/core only', argv: [floorBundle] },
  ...actions.map((a) => ({
    name: a,
    argv: [join(root, 'actions', a, 'dist', 'index.js')],
    dir: join(root, 'actions', a, 'dist'),
  })),
];
const env = { PATH: process.env.PATH, HOME: process.env.HOME, GITHUB_WORKSPACE: tmpdir() };
// For information, not a target: the same check with a policy file to read, which loads the YAML parser and
// the policy schema (without a file the defaults come ready-made) and a window in a real time zone.
const withPolicy = mkdtempSync(join(tmpdir(), 'policy-ws-'));
mkdirSync(join(withPolicy, '.github'));
writeFileSync(
  join(withPolicy, '.github', 'runbook.yml'),
  [
    'maintenance:',
    '  windows:',
    '    - {name: weekly, schedule: "0 2 * * 0", duration: 2h, timeZone: Europe/London}',
    '  freezes:',
    '    - {name: holidays, from: "2026-12-24", to: "2026-12-26", timeZone: Europe/London}',
    'incidents: {statusPage: "https://status.example.com"}',
    '',
  ].join('\n'),
);
if (existsSync(join(root, 'actions', 'maintenance-window', 'dist', 'index.js')))
  subjects.push({
    name: 'maintenance-window, policy file',
    argv: [join(root, 'actions', 'maintenance-window', 'dist', 'index.js')],
    env: { ...env, GITHUB_WORKSPACE: withPolicy },
    info: true,
  });
// Wall time is what the step waits for; CPU time (user+sys, via GNU time when present) is steadier
// on a busy machine, so both are printed.
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const times = new Map(subjects.map((s) => [s.name, []]));
const cpu = new Map(subjects.map((s) => [s.name, []]));
for (let i = 0; i < runs + 1; i++) {
  for (const s of subjects) {
    const start = process.hrtime.bigint();
    const child = gnuTime
      ? spawnSync(gnuTime, ['-f', '%U %S', node, ...s.argv], {
          env: s.env ?? env,
          stdio: ['ignore', 'ignore', 'pipe'],
          encoding: 'utf8',
        })
      : spawnSync(node, s.argv, { env: s.env ?? env, stdio: 'ignore' });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i === 0) continue; // the first round warms the file cache
    times.get(s.name).push(ms);
    const [user, sys] = (child.stderr ?? '').trim().split('\n').pop().split(' ').map(Number);
    if (Number.isFinite(user + sys)) cpu.get(s.name).push((user + sys) * 1000);
  }
}
const paired = (name) =>
  median(times.get(name).map((ms, i) => ms / (times.get('@actions/core only')[i] ?? Number.NaN)));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const bare = median(times.get('node -e 0'));
const floor = median(times.get('@actions/core only'));
const floorCpu = cpu.get('@actions/core only').length ? median(cpu.get('@actions/core only')) : undefined;
const size = (dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
console.log(`cold start, median of ${runs} interleaved runs (node ${process.version})`);
console.log(
  `${'subject'.padEnd(32)} ${'wall ms'.padStart(8)} ${'×node'.padStart(6)} ${'×core'.padStart(6)} ${'paired'.padStart(7)} ${'cpu ms'.padStart(7)} ${'cpu×core'.padStart(9)} ${'index.js KiB'.padStart(13)} ${'all .js KiB'.padStart(12)}  target`,
);
for (const s of subjects) {
  const ms = median(times.get(s.name));
  const main = s.dir ? statSync(join(s.dir, 'index.js')).size / 1024 : undefined;
  const all = s.dir ? size(s.dir) / 1024 : undefined;
  const pair = paired(s.name);
  const ok = s.info ? '(no target)' : s.dir ? (pair <= 1.15 && (main ?? 0) <= 1024 ? 'ok' : 'MISSED') : '';
  const c = cpu.get(s.name).length ? median(cpu.get(s.name)) : undefined;
  console.log(
    `${s.name.padEnd(32)} ${ms.toFixed(1).padStart(8)} ${(ms / bare).toFixed(2).padStart(6)} ${(ms / floor).toFixed(2).padStart(6)} ${pair.toFixed(2).padStart(7)} ${c === undefined ? '—'.padStart(7) : c.toFixed(0).padStart(7)} ${c === undefined || !floorCpu ? '—'.padStart(9) : (c / floorCpu).toFixed(2).padStart(9)} ${main === undefined ? ''.padStart(13) : main.toFixed(0).padStart(13)} ${all === undefined ? ''.padStart(12) : all.toFixed(0).padStart(12)}  ${ok}`,
  );
}
