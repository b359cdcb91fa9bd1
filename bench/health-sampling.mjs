#!/usr/bin/env node
// Health sampling overhead: 1,000 requests at concurrency 20 against a local HTTP server, our sampler
// (checkHealth with samples: 1000) next to a plain loop of fetch calls with the same concurrency.
// Usage (Node 24, as the runner): npx node bench/health-sampling.mjs [--requests 1000] [--concurrency 20] [--rounds 11]
// The server runs in a child process so it does not share the client's event loop. Rounds alternate
// between the two clients after a warm-up; medians and best rounds are compared (the best round is the least disturbed on a busy machine). Target: ≤ 10 % overhead.
import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

if (process.argv[2] === 'server') {
  const body = JSON.stringify({ status: 'ok' });
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
} else {
  await main();
}

async function main() {
  const { values } = parseArgs({
    options: {
      requests: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '20' },
      rounds: { type: 'string', default: '11' },
    },
  });
  const requests = Number(values.requests);
  const concurrency = Number(values.concurrency);
  const rounds = Number(values.rounds);

  await import('../scripts/ts-hooks.mjs'); // the TypeScript sources below load directly
  const { checkHealth } = await import('../src/health-check/check.ts');

  const child = fork(fileURLToPath(import.meta.url), ['server'], { stdio: 'inherit' });
  const port = await new Promise((resolve) => child.once('message', resolve));
  const url = `http://127.0.0.1:${port}/health`;
  const quiet = { info() {}, debug() {}, warning() {}, error() {}, group: (_n, fn) => fn() };
  const clock = { now: () => new Date(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };

  const ours = async () => {
    const report = await checkHealth(
      { urls: [url], timeoutMs: 10_000, samples: requests, concurrency, thresholds: { p95Ms: 500, errorRate: 0.001 } },
      { clock, log: quiet },
    );
    if (!report.healthy) throw new Error(`sampler: unexpected failure ${JSON.stringify(report.urls[0])}`);
  };
  const plain = async () => {
    let next = 0;
    let failures = 0;
    const worker = async () => {
      while (next < requests) {
        next++;
        const response = await fetch(url);
        await response.arrayBuffer();
        if (response.status !== 200) failures++;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    if (failures) throw new Error(`plain loop: ${failures} failures`);
  };
  // Wall time is what a workflow waits; CPU time of this process is what the client code costs, and stays
  // meaningful when other work shares the machine (wall times then vary several-fold between rounds).
  const measure = async (fn) => {
    const cpu = process.cpuUsage();
    const started = performance.now();
    await fn();
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - started, cpu: (used.user + used.system) / 1000 };
  };

  await measure(plain); // warm-up: JIT, connection pool
  await measure(ours);
  const rounds_ = { ours: [], plain: [] };
  for (let i = 0; i < rounds; i++) {
    // Alternate which goes first, so neither always meets a warmer server.
    for (const name of i % 2 ? ['ours', 'plain'] : ['plain', 'ours'])
      rounds_[name].push(await measure(name === 'ours' ? ours : plain));
  }
  child.kill();

  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const best = (xs) => Math.min(...xs);
  const figures = (runs) => ({
    wall: median(runs.map((r) => r.wall)),
    wallBest: best(runs.map((r) => r.wall)),
    cpu: median(runs.map((r) => r.cpu)),
  });
  const o = figures(rounds_.ours);
  const p = figures(rounds_.plain);
  const us = (ms) => `${((ms / requests) * 1000).toFixed(1)} µs`;
  const pct = (key) => `${(((o[key] - p[key]) / p[key]) * 100).toFixed(1)} %`;
  const cell = (text) => text.padStart(24);
  const line = (name, f) =>
    `  ${name.padEnd(18)}${cell(`${f.wall.toFixed(0)} ms = ${us(f.wall)}`)}${cell(`${f.wallBest.toFixed(0)} ms = ${us(f.wallBest)}`)}${cell(`${f.cpu.toFixed(0)} ms = ${us(f.cpu)}`)}`;
  console.log(
    `health sampling: ${requests} requests at concurrency ${concurrency}, ${rounds} rounds, Node ${process.version}, ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`  ${''.padEnd(18)}${cell('wall, median')}${cell('wall, best round')}${cell('client CPU, median')}`);
  console.log(line('plain fetch loop', p));
  console.log(line('checkHealth', o));
  console.log(
    `  ${'overhead'.padEnd(18)}${cell(`${us(o.wall - p.wall)} (${pct('wall')})`)}${cell(`${us(o.wallBest - p.wallBest)} (${pct('wallBest')})`)}${cell(`${us(o.cpu - p.cpu)} (${pct('cpu')})`)}`,
  );
  // Each round runs both clients back to back, under about the same load: the median of the per-round
  // ratios is the steadiest estimate when the machine is shared.
  const paired = (key) =>
    median(rounds_.ours.map((r, i) => r[key] / (rounds_.plain[i]?.[key] ?? Number.NaN))) * 100 - 100;
  console.log(
    `  paired rounds: checkHealth / plain loop, median of ${rounds} ratios: wall ${paired('wall').toFixed(1)} %, client CPU ${paired('cpu').toFixed(1)} %`,
  );
  console.log(
    `  target: ≤ 10 % overhead. checkHealth also makes its one check request before sampling (${(requests + 1).toLocaleString('en-US')} requests).`,
  );
}
