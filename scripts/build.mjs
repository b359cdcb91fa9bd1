#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
// Bundles every action (actions/<name>/action.yml ← src/<name>/index.ts) and the CLI (dist/cli ← src/cli.ts)
// with @vercel/ncc. Usage: node scripts/build.mjs [--out-root DIR] [name ...]
// --out-root writes the bundles under another directory (the check-dist test compares them with the committed ones).
// TypeScript is compiled once with tsc (which also type-checks), then ncc bundles the JavaScript: faster than
// ncc's own TypeScript loader, whose transpile-only mode cannot tell ESM from CommonJS under NodeNext.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { bundle } from './bundle.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values, positionals } = parseArgs({ options: { 'out-root': { type: 'string' } }, allowPositionals: true });
const outRoot = values['out-root'] ?? root;

export async function targets() {
  const names = (await readdir(join(root, 'actions'), { withFileTypes: true }))
    .filter((d) => d.isDirectory() && existsSync(join(root, 'actions', d.name, 'action.yml')))
    .map((d) => d.name)
    .sort();
  const list = names.map((name) => ({ name, entry: join('src', name, 'index'), out: join('actions', name, 'dist') }));
  list.push({ name: 'cli', entry: join('src', 'cli'), out: join('dist', 'cli') });
  return list;
}

// One fixed compile directory: ncc derives module ids and chunk names from paths, so a bundle is only
// reproducible when it is always built from the same place. Concurrent builds (a check-dist test while a
// developer builds) take turns through a lock directory.
const compiled = join(root, '.tmp', 'build');
const lock = join(root, '.tmp', 'build.lock');

async function acquireLock() {
  await mkdir(join(root, '.tmp'), { recursive: true });
  for (const started = Date.now(); ; ) {
    try {
      await mkdir(lock);
      await writeFile(join(lock, 'pid'), String(process.pid));
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      const holder = Number(await readFile(join(lock, 'pid'), 'utf8').catch(() => '0'));
      if (holder && !alive(holder)) await rm(lock, { recursive: true, force: true });
      else if (Date.now() - started > 600_000) throw new Error(`build: ${lock} held by ${holder} for 10 minutes`);
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function build({ name, entry, out }) {
  if (!existsSync(join(root, `${entry}.ts`))) throw new Error(`${name}: ${entry}.ts does not exist`);
  const started = performance.now();
  const { code, assets } = await bundle(join(compiled, `${entry}.js`), { license: 'licenses.txt' });
  const dir = join(outRoot, out);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'index.js'), code);
  for (const [file, asset] of Object.entries(assets)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), asset.source, { mode: asset.permissions });
  }
  const kb = (Buffer.byteLength(code) / 1024).toFixed(0);
  console.log(
    `built ${out}/index.js (${kb} KiB, ${Object.keys(assets).length} assets) in ${((performance.now() - started) / 1000).toFixed(1)}s`,
  );
}

const all = await targets();
const selected = positionals.length ? all.filter((t) => positionals.includes(t.name)) : all;
if (positionals.length && selected.length !== positionals.length) {
  console.error(`unknown target(s): ${positionals.filter((p) => !all.some((t) => t.name === p)).join(', ')}`);
  process.exit(2);
}
await acquireLock();
process.on('exit', () => {
  try {
    rmSync(lock, { recursive: true, force: true });
  } catch {}
});
await rm(compiled, { recursive: true, force: true });
let typeErrors = false;
try {
  execFileSync(
    process.execPath,
    [
      join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      join(root, 'tsconfig.build.json'),
      '--outDir',
      compiled,
    ],
    {
      stdio: 'inherit',
    },
  );
} catch {
  typeErrors = true; // tsc still emitted: bundle anyway so the errors and the bundles can both be looked at
}
// Two at a time: the machines this runs on have two cores.
let failed = false;
const buildOne = (target) =>
  build(target).catch((error) => {
    // ncc's errors carry its whole minified source in the stack: print the message only.
    console.error(
      `build: ${target.name} failed: ${String(error?.message ?? error)
        .split('\n')
        .slice(0, 6)
        .join('\n')}`,
    );
    failed = true;
  });
for (let i = 0; i < selected.length; i += 2) await Promise.all(selected.slice(i, i + 2).map(buildOne));
await rm(compiled, { recursive: true, force: true });
if (failed) process.exit(1);
if (typeErrors) {
  console.error('build: TypeScript reported errors (above); the bundles were written but the build fails');
  process.exit(1);
}
