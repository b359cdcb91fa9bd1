import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ConfigurationError } from '../../src/core/errors.js';
import { memoryLogger } from '../../src/core/logger.js';
import { DEFAULT_POLICY } from '../../src/core/policy/defaults.js';
import { policyJsonSchemaText, policyMarkdown, toPolicyFile } from '../../src/core/policy/docs.js';
import { loadPolicy } from '../../src/core/policy/load.js';
import { parsePolicy, parsePolicyText } from '../../src/core/policy/parse.js';
import { repoRoot } from '../support/bundle.js';

const HOUR = 3_600_000;

function issuesOf(text: string) {
  try {
    parsePolicyText(text, 'runbook.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).issues;
  }
  throw new Error('expected the policy to be refused');
}

describe('runbook policy', () => {
  it("defaults to the runbook's numbers", () => {
    const p = parsePolicy({});
    expect(p.severities.P0.response).toBe('15m');
    expect(p.severities.P1.response).toBe('1h');
    expect(p.severities.P2.response).toBe('4h');
    expect(p.severities.P3.response).toBe('next-business-day');
    expect(p.escalation.chain.map((l) => l.role)).toEqual([
      'On-call engineer',
      'Team lead',
      'Engineering manager',
      'CTO',
    ]);
    expect(p.maintenance.windows).toEqual([
      { name: 'weekly-maintenance', kind: 'allow', schedule: '0 2 * * 0', duration: '2h', timeZone: 'UTC' },
    ]);
    expect(p.maintenance.notice).toBe(48 * HOUR);
    expect(p.incidents.postMortemWithin).toBe(48 * HOUR);
    expect(p.backups).toMatchObject({ rpo: HOUR, rto: 4 * HOUR, retentionDays: 30 });
    expect(p.health).toMatchObject({ p95: 500, errorRate: 0.001 });
    expect(p.database.slowQuery).toBe(1000);
    expect(Object.keys(p.deploy.checklist)).toEqual([
      'codeReview',
      'tests',
      'securityScan',
      'migrationsTested',
      'rollbackPlan',
      'monitoringAlerts',
      'stakeholdersNotified',
    ]);
  });

  it('an absent default file means the defaults; a named file that is missing is an error', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'policy-'));
    const loaded = await loadPolicy({ path: '.github/runbook.yml', workspace });
    expect(loaded.file).toBeUndefined();
    expect(loaded.maintenance.notice).toBe(48 * HOUR);
    const { file: _, ...effective } = loaded;
    expect(effective).toEqual(parsePolicy({}));
    // Each load gets its own copy of the ready-made defaults.
    loaded.maintenance.windows.length = 0;
    expect((await loadPolicy({ path: '.github/runbook.yml', workspace })).maintenance.windows).toHaveLength(1);
    await expect(loadPolicy({ path: 'ops/runbook.yml', workspace })).rejects.toThrow(
      /input "policy-file".*cannot be read/,
    );
  });

  it('overrides keep every other default', () => {
    const p = parsePolicyText('severities:\n  P0:\n    response: 10m\nbackups:\n  retentionDays: 14\n', 'runbook.yml');
    expect(p.severities.P0.response).toBe('10m');
    expect(p.severities.P0.color).toBe('b60205');
    expect(p.severities.P1.response).toBe('1h');
    expect(p.backups.retentionDays).toBe(14);
    expect(p.backups.rto).toBe(4 * HOUR);
  });

  it('refuses a misspelt key with its path and line instead of falling back to the default', () => {
    const issues = issuesOf('version: 1\nseverities:\n  P0:\n    respnse: 10m\n');
    expect(issues).toEqual([
      { field: 'runbook.yml: severities.P0 (line 4)', message: expect.stringContaining('unknown key "respnse"') },
    ]);
    expect(issuesOf('backup:\n  rpo: 1h\n')[0]?.message).toContain('unknown key "backup"');
  });

  it('names the path of each wrong value', () => {
    const issues = issuesOf(
      [
        'maintenance:',
        '  notice: two days',
        '  windows:',
        '    - name: sunday',
        '      schedule: "0 2 * * 0"',
        '      timeZone: Mars/Olympus',
        'backups:',
        '  retentionDays: -1',
        'certificates:',
        '  warnDays: 5',
        '  failDays: 10',
      ].join('\n'),
    );
    const fields = issues.map((i) => i.field);
    expect(fields).toContain('runbook.yml: maintenance.notice (line 2)');
    expect(fields).toContain('runbook.yml: maintenance.windows[0].timeZone (line 6)');
    expect(fields).toContain('runbook.yml: maintenance.windows[0].duration (line 4)');
    expect(fields).toContain('runbook.yml: backups.retentionDays (line 8)');
    expect(issues.find((i) => i.field.includes('timeZone'))?.message).toContain('IANA time zone');
  });

  it('reports invalid YAML and duplicate keys with their line, as annotations on the file', () => {
    const log = memoryLogger();
    expect(() => parsePolicyText('backups:\n  rpo: 1h\n  rpo: 2h\n', '.github/runbook.yml', log)).toThrow(/line 3/);
    expect(log.lines.some((l) => l.startsWith('error:'))).toBe(true);
    expect(issuesOf('maintenance: [unclosed\n')[0]?.message).toMatch(/^invalid YAML/);
  });

  it('round-trips: the effective policy, written back as a file, parses to the same policy', () => {
    const custom = parsePolicyText(
      stringify({
        maintenance: {
          notice: '72h',
          windows: [{ name: 'w', schedule: '30 1 * * 6', duration: '90m', timeZone: 'Europe/London' }],
        },
        backups: { rpo: '24h' },
        health: { p95: '1.5s' },
      }),
      'a.yml',
    );
    for (const policy of [parsePolicy({}), custom]) {
      const file = toPolicyFile(policy);
      expect(parsePolicyText(stringify(file), 'again.yml')).toEqual(policy);
    }
    expect((toPolicyFile(custom) as { maintenance: { notice: string } }).maintenance.notice).toBe('3d');
    expect((toPolicyFile(parsePolicy({})) as { backups: { rto: string } }).backups.rto).toBe('4h');
  });

  it('the example policy in docs parses', () => {
    const text = readFileSync(join(repoRoot, 'docs', 'runbook.example.yml'), 'utf8');
    const p = parsePolicyText(text, 'docs/runbook.example.yml');
    expect(p.maintenance.windows.length).toBeGreaterThan(1);
  });

  it('the committed JSON Schema, docs/policy.md and defaults.ts match the zod schema (run `npm run schema`)', () => {
    expect(readFileSync(join(repoRoot, 'schema', 'runbook.schema.json'), 'utf8')).toBe(policyJsonSchemaText());
    expect(readFileSync(join(repoRoot, 'docs', 'policy.md'), 'utf8')).toBe(policyMarkdown());
    // Exactly equal, key order and all (toStrictEqual also tells undefined from absent).
    expect(JSON.stringify(DEFAULT_POLICY)).toBe(JSON.stringify(parsePolicy({})));
    expect(DEFAULT_POLICY).toStrictEqual(parsePolicy({}));
  });

  it('a policy file written to disk loads with its path recorded', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'policy-'));
    writeFileSync(join(workspace, 'custom.yml'), 'health:\n  p95: 300ms\n');
    const p = await loadPolicy({ path: 'custom.yml', workspace });
    expect(p.file).toBe('custom.yml');
    expect(p.health.p95).toBe(300);
  });
});
