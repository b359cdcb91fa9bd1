#!/usr/bin/env node
// Benchmark of actions/backup-verify, level read, on a custom-format dump of a ≥ 1 GiB database.
//   node bench/backup-verify.mjs            (npm's Node 24: `npx node bench/backup-verify.mjs`)
//   BENCH_SCALE=70 (pgbench scale; 70 ≈ 1 GiB of tables and indexes), BENCH_RUNS=2
// Builds the database with `pgbench -i` on the throwaway server of test/support/postgres.ts, dumps it with
// pg_dump -Fc, then, in the same run and alternating: `pg_restore -f /dev/null dump` alone, and the action's
// bundle (actions/backup-verify/dist/index.js) run as the runner runs it. Prints the time of each, the action's
// overhead (target ≤ 25 %), and the action's peak memory (target ≤ 150 MB): the Node process's VmHWM,
// and /usr/bin/time's maximum RSS over the process tree (which is the largest single process, pg_restore
// included). Takes several minutes: it is not part of npm test.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { startPostgres } from '../test/support/postgres.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const scale = Number(process.env.BENCH_SCALE ?? 70);
const runs = Number(process.env.BENCH_RUNS ?? 2);
const bundle = join(root, 'actions', 'backup-verify', 'dist', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'bench-backup-verify-'));
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

if (!existsSync(bundle) || statSync(bundle).mtimeMs < statSync(join(root, 'src', 'backup-verify', 'verify.ts')).mtimeMs) {
  console.log('building the bundle (node scripts/build.mjs backup-verify)…');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), 'backup-verify'], { stdio: 'inherit' });
}

const pg = await startPostgres();
try {
  const db = await pg.createDatabase('bench');
  const connect = ['-h', pg.host, '-p', String(pg.port), '-U', pg.user];
  let started = performance.now();
  console.log(`pgbench -i -s ${scale}…`);
  execFileSync(join(pg.binDir, 'pgbench'), ['-i', '-q', '-s', String(scale), ...connect, db], { stdio: 'ignore' });
  const [{ size }] = await pg.query(`select pg_database_size('${db}')::bigint as size`);
  console.log(`database: ${mib(Number(size))} (${seconds(performance.now() - started)})`);

  const dump = join(work, 'bench.dump');
  started = performance.now();
  execFileSync(join(pg.binDir, 'pg_dump'), ['-Fc', '-f', dump, ...connect, db], { stdio: 'inherit' });
  const dumpBytes = statSync(dump).size;
  console.log(`pg_dump -Fc: ${mib(dumpBytes)} in ${seconds(performance.now() - started)}`);
  readFileSync(dump).length; // warm the page cache so neither side pays the first read

  const defaults = Object.fromEntries(
    Object.entries(parse(readFileSync(join(root, 'actions', 'backup-verify', 'action.yml'), 'utf8')).inputs).map(
      ([name, input]) => [`INPUT_${name.toUpperCase()}`, String(input.default ?? '')],
    ),
  );
  const outputFile = join(work, 'output');
  const actionEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...defaults,
    INPUT_SOURCE: dump,
    INPUT_LEVEL: 'read',
    'INPUT_PG-BIN-DIR': pg.binDir,
    'INPUT_EVIDENCE-FILE': join(work, 'evidence.json'),
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: work,
  };

  const results = { restore: [], action: [] };
  for (let i = 0; i < runs; i++) {
    results.restore.push(await timed([join(pg.binDir, 'pg_restore'), '-f', '/dev/null', dump], process.env));
    writeFileSync(outputFile, '');
    const action = await timed([process.execPath, bundle], actionEnv);
    if (action.code !== 0) throw new Error(`the action failed:\n${action.stdout}\n${action.stderr}`);
    if (!readFileSync(outputFile, 'utf8').includes('verified')) throw new Error('the action did not verify the dump');
    results.action.push(action);
  }
  const best = (list) => Math.min(...list.map((r) => r.ms));
  const restoreMs = best(results.restore);
  const actionMs = best(results.action);
  const overhead = ((actionMs - restoreMs) / restoreMs) * 100;
  const nodePeak = Math.max(...results.action.map((r) => r.vmHwmKb));
  const treePeak = Math.max(...results.action.map((r) => r.maxRssKb));
  console.log('');
  console.log(`dump: ${mib(dumpBytes)} custom format (database ${mib(Number(size))}), best of ${runs} runs each`);
  console.log(`pg_restore -f /dev/null alone : ${seconds(restoreMs)}  (${mib(dumpBytes / (restoreMs / 1000))}/s)  runs: ${results.restore.map((r) => seconds(r.ms)).join(', ')}`);
  console.log(`backup-verify level read      : ${seconds(actionMs)}  (${mib(dumpBytes / (actionMs / 1000))}/s)  runs: ${results.action.map((r) => seconds(r.ms)).join(', ')}`);
  console.log(`action overhead               : ${overhead.toFixed(1)} %  (target ≤ 25 %)  ${overhead <= 25 ? 'OK' : 'OVER TARGET'}`);
  console.log(`action peak memory, Node      : ${(nodePeak / 1024).toFixed(0)} MB VmHWM  (target ≤ 150 MB)  ${nodePeak / 1024 <= 150 ? 'OK' : 'OVER TARGET'}`);
  console.log(`largest process in the tree   : ${(treePeak / 1024).toFixed(0)} MB max RSS (/usr/bin/time; pg_restore alone: ${(Math.max(...results.restore.map((r) => r.maxRssKb)) / 1024).toFixed(0)} MB)`);
} finally {
  await pg.stop();
  rmSync(work, { recursive: true, force: true });
}

/** Runs argv under /usr/bin/time -v (when present), polling the child's VmHWM; no shell. */
function timed(argv, env) {
  const haveTime = existsSync('/usr/bin/time');
  const full = haveTime ? ['/usr/bin/time', '-v', ...argv] : argv;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(full[0], full.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    let vmHwmKb = 0;
    const poll = setInterval(() => {
      // Under /usr/bin/time the program is its child: find it by parent pid.
      for (const pid of haveTime ? childrenOf(child.pid) : [child.pid]) {
        try {
          const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (hwm) vmHwmKb = Math.max(vmHwmKb, Number(hwm[1]));
        } catch {
          // exited between the listing and the read
        }
      }
    }, 20);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      const ms = performance.now() - started;
      const maxRss = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      resolve({ ms, code, stdout, stderr, vmHwmKb, maxRssKb: maxRss ? Number(maxRss[1]) : 0 });
    });
  });
}

function childrenOf(pid) {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}
