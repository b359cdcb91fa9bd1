import { describe, expect, it } from 'vitest';
import { globToRegExp, pathMatcher } from '../../src/deploy-gate/glob.js';
import { hasTickedCheckbox, isPlaceholder, sectionUnder, tickedCheckboxes } from '../../src/deploy-gate/markdown.js';
import { checkRuleFile, coversService } from '../../src/deploy-gate/prometheus-rules.js';

const TEMPLATE = `## Summary
Adds payments.

## Production Deployment Checklist
- [x] Code review completed
- [ ] All tests passing
- [X] **Security scan completed** (CodeQL)
* [x] Rollback plan prepared: see below
- [x] Stakeholders notified-ish
<!-- - [x] Monitoring alerts configured -->

\`\`\`md
- [x] Database migrations tested
\`\`\`

## Rollback plan
<!-- How do we undo this? -->
1. kubectl rollout undo deployment/api-gateway
2. npm run db:migrate:rollback

### Details
More.

## Notes
`;

describe('pull request body', () => {
  it('finds ticked boxes outside comments and code blocks', () => {
    expect(tickedCheckboxes(TEMPLATE)).toEqual([
      'Code review completed',
      '**Security scan completed** (CodeQL)',
      'Rollback plan prepared: see below',
      'Stakeholders notified-ish',
    ]);
    expect(hasTickedCheckbox(TEMPLATE, 'Code review completed')).toBe(true);
    expect(hasTickedCheckbox(TEMPLATE, 'security scan completed')).toBe(true);
    expect(hasTickedCheckbox(TEMPLATE, 'Rollback plan prepared')).toBe(true);
    expect(hasTickedCheckbox(TEMPLATE, 'All tests passing')).toBe(false);
    expect(hasTickedCheckbox(TEMPLATE, 'Monitoring alerts configured')).toBe(false);
    expect(hasTickedCheckbox(TEMPLATE, 'Database migrations tested')).toBe(false);
    // "notified-ish" is another word, not the label followed by a remark
    expect(hasTickedCheckbox(TEMPLATE, 'Stakeholders notified')).toBe(false);
  });

  it('reads the section under a heading, including sub-headings, without comments', () => {
    const section = sectionUnder(TEMPLATE, 'rollback plan');
    expect(section).toContain('kubectl rollout undo deployment/api-gateway');
    expect(section).toContain('### Details');
    expect(section).not.toContain('How do we undo this');
    expect(section).not.toContain('## Notes');
    expect(sectionUnder(TEMPLATE, 'Risks')).toBeUndefined();
    expect(sectionUnder('## Rollback plan:\nrevert', 'Rollback plan')).toBe('revert');
  });

  it('treats template leftovers as empty', () => {
    expect(isPlaceholder('')).toBe(true);
    expect(isPlaceholder('  TBD ')).toBe(true);
    expect(isPlaceholder('- N/A')).toBe(true);
    expect(isPlaceholder('...')).toBe(true);
    expect(isPlaceholder(sectionUnder('## Rollback plan\n<!-- fill in -->\n## Next', 'Rollback plan') ?? '')).toBe(
      true,
    );
    expect(isPlaceholder('Revert the release tag')).toBe(false);
  });
});

describe('path patterns', () => {
  it('matches segments, any depth and alternatives', () => {
    const isMigration = pathMatcher(['migrations/**', 'db/*.sql']);
    expect(isMigration('migrations/001_init.sql')).toBe(true);
    expect(isMigration('migrations/2026/11/002.js')).toBe(true);
    expect(isMigration('db/schema.sql')).toBe(true);
    expect(isMigration('db/seed/data.sql')).toBe(false);
    expect(isMigration('src/migrations.ts')).toBe(false);
    const rules = globToRegExp('monitoring/**/*.{yml,yaml}');
    expect(rules.test('monitoring/alerts.yml')).toBe(true);
    expect(rules.test('monitoring/prod/api.yaml')).toBe(true);
    expect(rules.test('monitoring/readme.md')).toBe(false);
    expect(globToRegExp('a?c.txt').test('abc.txt')).toBe(true);
    expect(globToRegExp('a?c.txt').test('a/c.txt')).toBe(false);
  });
});

const RUNBOOK_EXAMPLE = `# Example Prometheus alert rules
groups:
  - name: eventchain.rules
    rules:
      - alert: HighErrorRate
        expr: rate(http_requests_total{status=~"5.."}[5m]) > 0.01
        for: 5m
        labels:
          severity: critical
        annotations:
          summary: High error rate detected
`;

describe('Prometheus rule files', () => {
  it("accepts the runbook's example", () => {
    const report = checkRuleFile('monitoring/alerts.yml', RUNBOOK_EXAMPLE);
    expect(report.problems).toEqual([]);
    expect(report.alerts).toMatchObject([
      { alert: 'HighErrorRate', group: 'eventchain.rules', line: 5, labels: { severity: 'critical' } },
    ]);
  });

  it('names each missing field with its line, and skips recording rules', () => {
    const report = checkRuleFile(
      'm.yml',
      `groups:
  - name: api
    rules:
      - record: job:http_requests:rate5m
        expr: sum by (job) (rate(http_requests_total[5m]))
      - alert: SlowApi
        expr: histogram_quantile(0.95, rate(http_request_duration_seconds_bucket{job="api-gateway"}[5m])) > 0.5
        labels:
          team: core
      - alert: Flapping
        expr: up == 0
        for: five minutes
        labels: { severity: warning }
        annotations: { summary: Down }
`,
    );
    expect(report.alerts).toEqual([]);
    expect(report.problems).toEqual([
      { file: 'm.yml', line: 6, message: 'rule "SlowApi" lacks for, labels.severity, annotations.summary' },
      {
        file: 'm.yml',
        line: 10,
        message: 'rule "Flapping": `for: five minutes` is not a Prometheus duration such as 5m',
      },
    ]);
  });

  it('reports YAML errors and files that are not rule files', () => {
    expect(checkRuleFile('bad.yml', 'groups:\n  - name: [unclosed\n').problems[0]).toMatchObject({
      file: 'bad.yml',
      message: expect.stringMatching(/^invalid YAML/),
    });
    expect(checkRuleFile('prometheus.yml', 'scrape_configs: []\n').problems).toEqual([
      { file: 'prometheus.yml', line: 1, message: 'has no `groups:` list: not a Prometheus rule file' },
    ]);
    expect(checkRuleFile('g.yml', 'groups:\n  - name: x\n').problems).toEqual([
      { file: 'g.yml', line: 2, message: 'group "x" has no `rules:` list' },
    ]);
  });

  it('decides which services a rule covers', () => {
    const rule = {
      file: 'f',
      line: 1,
      group: 'g',
      alert: 'A',
      expr: 'up{job="api-gateway"} == 0',
      labels: { severity: 'critical', service: 'event-service' },
    };
    expect(coversService(rule, 'api-gateway')).toBe(true);
    expect(coversService(rule, 'event-service')).toBe(true);
    expect(coversService(rule, 'api')).toBe(false);
    expect(coversService(rule, 'gateway')).toBe(false);
  });
});
