import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { describeFailure, exec } from '../../src/core/exec.js';
import { registerSecret } from '../../src/core/secrets.js';

const node = process.execPath;

/** Gone, or a zombie waiting for a reaper that this sandbox may not have. */
function isRunning(pid: number): boolean {
  try {
    const state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

describe('exec', () => {
  it('passes arguments verbatim, never through a shell', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'exec-'));
    const marker = join(dir, 'pwned');
    const hostile = `$(touch ${marker}); touch ${marker} | echo "x" && \`touch ${marker}\``;
    const result = await exec([node, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', hostile, "it's"]);
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([hostile, "it's"]);
    expect(existsSync(marker)).toBe(false);
  });

  it('kills the whole process tree at the deadline, TERM then KILL', async () => {
    // The child ignores TERM and starts a grandchild that would outlive it.
    const script = `
      process.on('SIGTERM', () => {});
      const { spawn } = require('node:child_process');
      const g = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
      console.log(g.pid);
      setInterval(() => {}, 1000);`;
    const result = await exec([node, '-e', script], { timeoutMs: 500, killGraceMs: 300 });
    expect(result.timedOut).toBe(true);
    expect(result.signal).toBe('SIGKILL');
    const grandchild = Number(result.stdout.trim());
    expect(grandchild).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(isRunning(grandchild)).toBe(false);
    expect(describeFailure(result)).toMatch(/timed out after/);
  });

  it('keeps only the tail of a large output', async () => {
    const result = await exec([node, '-e', 'for (let i = 0; i < 20000; i++) console.log("line " + i)'], {
      maxOutputBytes: 1024,
    });
    expect(result.truncated).toBe(true);
    expect(result.stdout.length).toBeLessThanOrEqual(1024);
    expect(result.stdout.trimEnd().endsWith('line 19999')).toBe(true);
  });

  it('redacts registered secrets from the command and its output', async () => {
    registerSecret('s3cr3t-value');
    const result = await exec([node, '-e', 'console.error(process.argv[1])', 's3cr3t-value']);
    expect(result.stderr).toBe('***\n');
    expect(result.command).not.toContain('s3cr3t-value');
  });

  it('reports a missing program as "command not found", with the tail of stderr otherwise', async () => {
    const missing = await exec(['definitely-not-a-program-xyz', 'a']);
    expect(missing.spawnError).toBe('command not found: definitely-not-a-program-xyz');
    expect(describeFailure(missing)).toBe('command not found: definitely-not-a-program-xyz');
    const failing = await exec([node, '-e', 'console.error("first\\nboom"); process.exit(3)']);
    expect(failing.exitCode).toBe(3);
    expect(describeFailure(failing, 1)).toMatch(/exited with code 3:\nboom$/);
  });

  it('feeds stdin and streams output to a callback', async () => {
    const seen: string[] = [];
    const result = await exec([node, '-e', 'process.stdin.pipe(process.stdout)'], {
      stdin: 'piped input',
      onData: (chunk) => seen.push(chunk),
    });
    expect(result.stdout).toBe('piped input');
    expect(seen.join('')).toBe('piped input');
  });

  it('pipes a stream into stdin, and reports a stream that fails', async () => {
    const ok = await exec(
      [node, '-e', 'let n = 0; process.stdin.on("data", (c) => (n += c.length)).on("end", () => console.log(n))'],
      {
        stdinStream: Readable.from([Buffer.alloc(70_000, 1), Buffer.alloc(30_000, 2)]),
      },
    );
    expect(ok.stdout.trim()).toBe('100000');
    expect(ok.stdinError).toBeUndefined();
    const broken = new Readable({
      read() {
        this.destroy(new Error('unexpected end of gzip stream'));
      },
    });
    const failed = await exec([node, '-e', 'process.stdin.resume()'], { stdinStream: broken });
    expect(failed.stdinError).toBe('unexpected end of gzip stream');
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await exec([node, '-e', 'setInterval(() => {}, 1000)'], { signal: controller.signal });
    expect(result.aborted).toBe(true);
    expect(result.exitCode).toBeNull();
  });
});
