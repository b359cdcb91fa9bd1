import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exec } from '../../src/core/exec.js';
import { repoRoot } from '../support/bundle.js';

// The `runbook` command as a user runs it: bin/runbook.js → the committed CLI bundle → an action's bundle.
function runbook(args: string[], env: Record<string, string> = {}) {
  return exec([process.execPath, join(repoRoot, 'bin', 'runbook.js'), ...args], {
    env: { GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), 'cli-ws-')), ...env },
    timeoutMs: 60_000,
  });
}

describe('runbook CLI', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.statusCode = req.url === '/health' ? 200 : 503;
      res.end(req.url === '/health' ? 'ok' : 'down');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('lists the actions from their action.yml files', async () => {
    const result = await runbook(['--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/usage: runbook <action>/);
    expect(result.stdout).toMatch(/^ {2}health-check +\S/m);
    expect(result.stdout).toContain('policy check');
  });

  it("describes an action's inputs and outputs", async () => {
    const result = await runbook(['health-check', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/--urls {2}\(required\)/);
    expect(result.stdout).toMatch(/^outputs:\n {2}healthy/m);
  });

  it("runs an action's bundle and prints its outputs and summary", async () => {
    const ok = await runbook(['health-check', '--urls', `${base}/health`, '--retries', '0']);
    expect(ok.stdout).toMatch(/Outputs\n[\s\S]* {2}healthy: true/);
    expect(ok.stdout).toContain('Summary');
    expect(ok.exitCode).toBe(0);
    const down = await runbook(['health-check', `--urls=${base}/down`, '--retries', '0']);
    expect(down.stdout).toMatch(/ {2}healthy: false/);
    expect(down.stdout).toMatch(/^error: health-check: /m);
    expect(down.exitCode).toBe(1);
  });

  it('refuses an unknown input or a missing required one, naming it', async () => {
    const typo = await runbook(['health-check', '--url', base]);
    expect(typo.exitCode).toBe(2);
    expect(typo.stdout).toMatch(/unknown input --url; allowed: --urls/);
    const missing = await runbook(['health-check']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stdout).toContain('missing required input --urls');
    const unknown = await runbook(['deploy-everything']);
    expect(unknown.exitCode).toBe(2);
  });

  it('checks a policy file and prints the effective policy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-policy-'));
    writeFileSync(join(dir, 'good.yml'), 'maintenance:\n  notice: 72h\n');
    writeFileSync(join(dir, 'bad.yml'), 'maintenance:\n  notise: 72h\n');
    const good = await runbook(['policy', 'check', 'good.yml'], { GITHUB_WORKSPACE: dir });
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toContain('good.yml is valid');
    expect(good.stdout).toMatch(/notice: 3d/);
    expect(good.stdout).toMatch(/rto: 4h/);
    const bad = await runbook(['policy', 'check', 'bad.yml'], { GITHUB_WORKSPACE: dir });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('bad.yml: maintenance (line 2): unknown key "notise"');
    const none = await runbook(['policy', 'check'], { GITHUB_WORKSPACE: dir });
    expect(none.stdout).toContain("the runbook's defaults apply");
  });
});
