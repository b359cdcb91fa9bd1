import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/exec.js';
import { repoRoot } from '../support/bundle.js';
import { actionNames } from '../support/repo-checks.js';

/** Every file below `dir`, relative to it. */
function files(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d)) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out.push(relative(dir, full));
    }
  };
  walk(dir);
  return out.sort();
}

// What users run is the committed bundle: rebuild from source and require it to be identical.
describe('committed bundles', () => {
  let fresh: string;
  let build: Awaited<ReturnType<typeof exec>>;
  beforeAll(async () => {
    fresh = await mkdtemp(join(tmpdir(), 'check-dist-'));
    build = await exec([process.execPath, join(repoRoot, 'scripts', 'build.mjs'), '--out-root', fresh], {
      cwd: repoRoot,
      timeoutMs: 300_000,
    });
  }, 320_000);
  afterAll(() => rm(fresh, { recursive: true, force: true }));

  it('the build succeeds', () => {
    expect(build.exitCode, build.stderr + build.stdout).toBe(0);
  });

  it.each([...actionNames(repoRoot).map((n) => join('actions', n, 'dist')), join('dist', 'cli')])(
    '%s is up to date with its source (run `npm run build` and commit)',
    (dir) => {
      const committed = join(repoRoot, dir);
      const rebuilt = join(fresh, dir);
      expect(files(committed)).toEqual(files(rebuilt));
      for (const file of files(rebuilt)) {
        const same = readFileSync(join(committed, file)).equals(readFileSync(join(rebuilt, file)));
        expect(same, `${dir}/${file} differs from a fresh build`).toBe(true);
      }
    },
  );
});
