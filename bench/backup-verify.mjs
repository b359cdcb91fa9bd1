#!/usr/bin/env node
// Benchmark of actions/backup-verify, level read, on a custom-format dump of a ≥ 1 GiB database.
//   node bench/backup-verify.mjs            (npm's Node 24: `npx node bench/backup-verify.mjs`)
//   BENCH_SCALE=70 (pgbench scale; 70 ≈ 1 GiB of tables and indexes), BENCH_RUNS=3,
//   BENCH_FILLER=hex (pgbench_accounts.filler set to 64 hex characters per row) or blank (as pgbench leaves it)
// Builds the database with `pgbench -i` on the throwaway server of test/support/postgres.ts, dumps it with
// pg_dump -Fc (and -Fp -Z6), then, in the same run and alternating: `pg_restore -f /dev/null dump` alone (for the
// gzip plain dump: `gzip -t`), and the action's bundle (actions/backup-verify/dist/index.js) run as the runner runs
// it. Prints the time of each, the action's overhead (target ≤ 25 % for the custom dump), and the action's peak
// memory (target ≤ 150 MB): the Node process's VmHWM,
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
const runs = Number(process.env.BENCH_RUNS ?? 3);
const filler = process.env.BENCH_FILLER ?? 'hex';
const bundle = join(root, 'actions', 'backup-verify', 'dist', 'index.js');
const work = mkdtempSync(join(tmpdir(), 'bench-backup-verify-'));
const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

if (
  !existsSync(bundle) ||
  statSync(bundle).mtimeMs < statSync(join(root, 'src', 'backup-verify', 'verify.ts')).mtimeMs
) {
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
  if (filler === 'hex') {
    // pgbench leaves the filler column blank, which compresses ~55:1 and makes the dump tiny (19 MiB at scale 70):
    // then the fixed start-up of a run dominates. Hex text per row is closer to real data (~2:1).
    await pg.query('UPDATE pgbench_accounts SET filler = md5(aid::text) || md5((-aid)::text)', db);
  }
  const [{ size }] = await pg.query(`select pg_database_size('${db}')::bigint as size`);
  console.log(`database: ${mib(Number(size))}, filler ${filler} (${seconds(performance.now() - started)})`);

  const dump = join(work, 'bench.dump');
  const plain = join(work, 'bench.sql.gz');
  started = performance.now();
  execFileSync(join(pg.binDir, 'pg_dump'), ['-Fc', '-f', dump, ...connect, db], { stdio: 'inherit' });
  console.log(`pg_dump -Fc: ${mib(statSync(dump).size)} in ${seconds(performance.now() - started)}`);
  started = performance.now();
  execFileSync(join(pg.binDir, 'pg_dump'), ['-Fp', '-Z6', '-f', plain, ...connect, db], { stdio: 'inherit' });
  console.log(`pg_dump -Fp -Z6: ${mib(statSync(plain).size)} in ${seconds(performance.now() - started)}`);

  const defaults = Object.fromEntries(
    Object.entries(parse(readFileSync(join(root, 'actions', 'backup-verify', 'action.yml'), 'utf8')).inputs).map(
      ([name, input]) => [`INPUT_${name.toUpperCase()}`, String(input.default ?? '')],
    ),
  );
  const outputFile = join(work, 'output');
  const actionEnv = (source) => ({
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...defaults,
    INPUT_SOURCE: source,
    INPUT_LEVEL: 'read',
    'INPUT_PG-BIN-DIR': pg.binDir,
    'INPUT_EVIDENCE-FILE': join(work, 'evidence.json'),
    GITHUB_WORKSPACE: work,
    GITHUB_OUTPUT: outputFile,
    RUNNER_TEMP: work,
  });

  // The fixed cost of a run (Node start, loading the bundle, the policy): the action on a dump of an empty database.
  const emptyDb = await pg.createDatabase('empty');
  const tiny = join(work, 'empty.dump');
  execFileSync(join(pg.binDir, 'pg_dump'), ['-Fc', '-f', tiny, ...connect, emptyDb], { stdio: 'inherit' });
  const fixed = [];
  for (let i = 0; i < runs; i++) fixed.push((await timed([process.execPath, bundle], actionEnv(tiny))).ms);
  console.log(
    `fixed cost of a run (dump of an empty database): best ${seconds(Math.min(...fixed))}, runs ${fixed.map(seconds).join(', ')}`,
  );

  const cases = [
    // The target: the action's read of a custom dump next to pg_restore reading the same dump alone.
    {
      name: 'custom (-Fc)',
      file: dump,
      baseline: ['pg_restore -f /dev/null', [join(pg.binDir, 'pg_restore'), '-f', '/dev/null', dump]],
    },
    // The path where the dump flows through Node (gunzip + line scan), next to gzip's own integrity test.
    { name: 'plain gzip (-Fp -Z6)', file: plain, baseline: ['gzip -t', ['gzip', '-t', plain]] },
  ];
  const lines = [];
  for (const c of cases) {
    readFileSync(c.file).length; // warm the page cache so neither side pays the first read
    const results = { baseline: [], action: [] };
    for (let i = 0; i < runs; i++) {
      results.baseline.push(await timed(c.baseline[1], process.env));
      writeFileSync(outputFile, '');
      const action = await timed([process.execPath, bundle], actionEnv(c.file));
      if (action.code !== 0) throw new Error(`the action failed:\n${action.stdout}\n${action.stderr}`);
      if (!readFileSync(outputFile, 'utf8').includes('verified')) throw new Error('the action did not verify the dump');
      results.action.push(action);
    }
    const best = (list) => Math.min(...list.map((r) => r.ms));
    const baseMs = best(results.baseline);
    const actionMs = best(results.action);
    const overhead = ((actionMs - baseMs) / baseMs) * 100;
    const nodePeak = Math.max(...results.action.map((r) => r.vmHwmKb)) / 1024;
    const treePeak = Math.max(...results.action.map((r) => r.maxRssKb)) / 1024;
    const rate = (ms) => `${mib(Number(size) / (ms / 1000))}/s of database`;
    lines.push(
      '',
      `${c.name}: ${mib(statSync(c.file).size)} dump of a ${mib(Number(size))} database, best of ${runs} runs each`,
      `  ${c.baseline[0].padEnd(28)}: ${seconds(baseMs)}  (${rate(baseMs)})  runs: ${results.baseline.map((r) => seconds(r.ms)).join(', ')}`,
      `  ${'backup-verify level read'.padEnd(28)}: ${seconds(actionMs)}  (${rate(actionMs)})  runs: ${results.action.map((r) => seconds(r.ms)).join(', ')}`,
      `  ${'action overhead'.padEnd(28)}: ${overhead.toFixed(1)} %${c.name.startsWith('custom') ? `  (target ≤ 25 %) ${overhead <= 25 ? 'OK' : 'OVER TARGET'}` : ''}`,
      `  ${'action peak memory (Node)'.padEnd(28)}: ${nodePeak.toFixed(0)} MB VmHWM  (target ≤ 150 MB) ${nodePeak <= 150 ? 'OK' : 'OVER TARGET'}`,
      `  ${'largest process in the tree'.padEnd(28)}: ${treePeak.toFixed(0)} MB max RSS (/usr/bin/time)`,
    );
  }
  console.log(lines.join('\n'));
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
