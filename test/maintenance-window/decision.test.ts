import { describe, expect, it } from 'vitest';
import { ActionFailure, ConfigurationError } from '../../src/core/errors.js';
import { parsePolicy } from '../../src/core/policy/parse.js';
import type { PolicyInput } from '../../src/core/policy/schema.js';
import { buildCalendar, parseAdHocWindows } from '../../src/maintenance-window/config.js';
import {
  applyOverride,
  type Decision,
  decide,
  type Operation,
  planAnnouncements,
} from '../../src/maintenance-window/decision.js';
import type { Notice } from '../../src/maintenance-window/notice.js';

const ms = (iso: string) => Date.parse(iso);
const iso = (t: number | undefined) => (t === undefined ? undefined : new Date(t).toISOString());
const HOUR = 3_600_000;

type Maintenance = NonNullable<PolicyInput['maintenance']>;

function setup(maintenance: Maintenance = {}, selected?: string[]) {
  const policy = parsePolicy({ maintenance });
  const calendar = buildCalendar(policy.maintenance, [], selected);
  const rules = (operation: Operation) => ({
    operation,
    noticeMs: policy.maintenance.notice,
    noticeLabel: policy.maintenance.noticeLabel,
    deploysOnlyInWindows: policy.maintenance.deploysOnlyInWindows,
  });
  return {
    policy,
    calendar,
    decide: (operation: Operation, at: string, notices: Notice[] = []) =>
      decide(calendar, rules(operation), ms(at), notices),
  };
}

function notice(window: string, start: string, createdAt: string, number = 7): Notice {
  return { number, url: `https://github.com/o/r/issues/${number}`, window, start: ms(start), createdAt: ms(createdAt) };
}

const next = (d: Decision) => d.next.map((o) => ({ start: iso(o.start), end: iso(o.end) }));

describe('maintenance', () => {
  const sunday = '2026-11-29T02:00:00Z';
  const onTime = notice('weekly-maintenance', sunday, '2026-11-27T02:00:00Z');

  it('runs inside the default Sunday 02:00–04:00 UTC window announced exactly 48 h ahead', () => {
    const d = setup().decide('maintenance', '2026-11-29T02:30:00Z', [onTime]);
    expect(d.allowed).toBe(true);
    expect(d.activeWindow?.window.name).toBe('weekly-maintenance');
    expect(d.notice?.number).toBe(7);
    expect(iso(d.openUntil)).toBe('2026-11-29T04:00:00.000Z');
    expect(d.reason).toBe('inside maintenance window "weekly-maintenance", announced in issue #7');
    expect(next(d)[0]).toEqual({ start: '2026-12-06T02:00:00.000Z', end: '2026-12-06T04:00:00.000Z' });
  });

  it('refuses a window announced one second too late, naming the issue', () => {
    const late = notice('weekly-maintenance', sunday, '2026-11-27T02:00:01Z', 9);
    const d = setup().decide('maintenance', '2026-11-29T02:30:00Z', [late]);
    expect(d.allowed).toBe(false);
    expect(d.reason).toContain(
      'was not announced 48h ahead, by 2026-11-27 02:00 UTC: issue #9 announced it only at 2026-11-27 02:00 UTC',
    );
  });

  it('refuses an unannounced window, and a notice for another occurrence or window does not count', () => {
    const lastWeek = notice('weekly-maintenance', '2026-11-22T02:00:00Z', '2026-11-01T00:00:00Z');
    const other = notice('other', sunday, '2026-11-01T00:00:00Z');
    const d = setup().decide('maintenance', '2026-11-29T02:30:00Z', [lastWeek, other]);
    expect(d.allowed).toBe(false);
    expect(d.reason).toContain('no issue labelled "maintenance-notice" announces it');
    // This occurrence can no longer be announced on time, so the next opening is next week's.
    expect(next(d)[0]?.start).toBe('2026-12-06T02:00:00.000Z');
  });

  it('refuses outside the window, at its closing instant too, and names the next opening', () => {
    const s = setup();
    const before = s.decide('maintenance', '2026-11-29T01:59:59Z', [onTime]);
    expect(before.allowed).toBe(false);
    expect(before.reason).toBe('outside every maintenance window; next opening 2026-11-29 02:00 UTC');
    expect(next(before)[0]).toEqual({ start: '2026-11-29T02:00:00.000Z', end: '2026-11-29T04:00:00.000Z' });
    expect(s.decide('maintenance', '2026-11-29T04:00:00Z', [onTime]).allowed).toBe(false);
  });

  it('skips, among next openings, an occurrence whose notice deadline has passed without a notice', () => {
    // Saturday noon: Sunday's notice was due Friday 02:00 and none exists.
    const d = setup().decide('maintenance', '2026-11-28T12:00:00Z');
    expect(next(d).map((o) => o.start)).toEqual([
      '2026-12-06T02:00:00.000Z',
      '2026-12-13T02:00:00.000Z',
      '2026-12-20T02:00:00.000Z',
    ]);
    // With the notice posted on time, Sunday is the next opening.
    expect(setup().decide('maintenance', '2026-11-28T12:00:00Z', [onTime]).next[0]?.start).toBe(ms(sunday));
  });

  it('lets a deny window beat an allow window, and opens again when the deny window closes', () => {
    const s = setup({
      windows: [
        { name: 'weekly-maintenance', schedule: '0 2 * * 0', duration: '2h' },
        { name: 'db-backup', kind: 'deny', schedule: '0 3 * * *', duration: '30m' },
      ],
    });
    const during = s.decide('maintenance', '2026-11-29T03:15:00Z', [onTime]);
    expect(during.allowed).toBe(false);
    expect(during.reason).toBe(
      'inside deny window "db-backup" until 2026-11-29 03:30 UTC; next opening 2026-11-29 03:30 UTC',
    );
    expect(next(during)[0]).toEqual({ start: '2026-11-29T03:30:00.000Z', end: '2026-11-29T04:00:00.000Z' });
    const before = s.decide('maintenance', '2026-11-29T02:10:00Z', [onTime]);
    expect(before.allowed).toBe(true);
    expect(iso(before.openUntil)).toBe('2026-11-29T03:00:00.000Z');
  });

  it('skips a Sunday covered by a whole-day freeze', () => {
    const s = setup({ freezes: [{ name: 'year-end', from: '2026-12-24', to: '2027-01-01' }] });
    const d = s.decide('maintenance', '2026-12-21T00:00:00Z');
    expect(next(d).map((o) => o.start)).toEqual([
      '2027-01-03T02:00:00.000Z',
      '2027-01-10T02:00:00.000Z',
      '2027-01-17T02:00:00.000Z',
    ]);
    const frozen = s.decide('maintenance', '2026-12-27T02:30:00Z', [
      notice('weekly-maintenance', '2026-12-27T02:00:00Z', '2026-12-01T00:00:00Z'),
    ]);
    expect(frozen.allowed).toBe(false);
    expect(frozen.reason).toMatch(/^inside deny window "year-end" until 2027-01-02 00:00 UTC/);
  });

  it('needs no notice when the policy sets notice to 0s', () => {
    const d = setup({ notice: '0s' }).decide('maintenance', '2026-11-29T03:00:00Z');
    expect(d.allowed).toBe(true);
    expect(d.reason).toBe('inside maintenance window "weekly-maintenance" (no notice required)');
  });

  it('considers only the allow windows the window input names, and refuses unknown names', () => {
    const maintenance: Maintenance = {
      windows: [
        { name: 'weekly-maintenance', schedule: '0 2 * * 0', duration: '2h' },
        { name: 'db-nightly', schedule: '0 1 * * *', duration: '1h' },
        { name: 'release-freeze', kind: 'deny', start: '2026-12-01T00:00', end: '2026-12-02T00:00' },
      ],
    };
    const d = setup(maintenance, ['db-nightly']).decide('maintenance', '2026-11-29T02:30:00Z', [onTime]);
    expect(d.allowed).toBe(false);
    expect(d.reason).toMatch(/^outside every maintenance window/);
    expect(() => setup(maintenance, ['nightly'])).toThrow(ConfigurationError);
    expect(() => setup(maintenance, ['nightly'])).toThrow(
      'input "window" (got "nightly"): unknown window; allow windows are weekly-maintenance, db-nightly',
    );
    expect(() => setup(maintenance, ['release-freeze'])).toThrow(/names a deny window or freeze/);
  });
});

describe('deploy', () => {
  const freeze: Maintenance = {
    windows: [
      { name: 'weekly-maintenance', schedule: '0 2 * * 0', duration: '2h' },
      { name: 'friday-freeze', kind: 'deny', schedule: '0 16 * * 5', duration: '2d16h', timeZone: 'Europe/Berlin' },
    ],
  };

  it('runs when no deny window is active, and names the next opening after the next freeze', () => {
    const d = setup(freeze).decide('deploy', '2026-11-26T10:00:00Z');
    expect(d.allowed).toBe(true);
    expect(d.reason).toBe('no deny window is active');
    expect(iso(d.openUntil)).toBe('2026-11-27T15:00:00.000Z'); // Friday 16:00 Berlin (UTC+1)
    expect(next(d)[0]).toEqual({ start: '2026-11-30T07:00:00.000Z', end: '2026-12-04T15:00:00.000Z' });
  });

  it('is blocked from Friday 16:00 to Monday 08:00 Berlin time, across the weekend', () => {
    const s = setup(freeze);
    expect(s.decide('deploy', '2026-11-27T14:59:59Z').allowed).toBe(true);
    const blocked = s.decide('deploy', '2026-11-29T12:00:00Z');
    expect(blocked.allowed).toBe(false);
    expect(blocked.reason).toBe(
      'inside deny window "friday-freeze" until 2026-11-30 07:00 UTC; next opening 2026-11-30 07:00 UTC',
    );
    expect(s.decide('deploy', '2026-11-30T07:00:00Z').allowed).toBe(true);
  });

  it('has no next opening to report when nothing is ever denied', () => {
    const d = setup().decide('deploy', '2026-11-26T10:00:00Z');
    expect(d.allowed).toBe(true);
    expect(d.next).toEqual([]);
    expect(d.openUntil).toBe(Number.POSITIVE_INFINITY);
  });

  it('must be inside an allow window when deploysOnlyInWindows is set', () => {
    const s = setup({ deploysOnlyInWindows: true });
    const outside = s.decide('deploy', '2026-11-26T10:00:00Z');
    expect(outside.allowed).toBe(false);
    expect(outside.reason).toBe(
      'outside every allow window (maintenance.deploysOnlyInWindows is true); next opening 2026-11-29 02:00 UTC',
    );
    const inside = s.decide('deploy', '2026-11-29T03:00:00Z');
    expect(inside.allowed).toBe(true);
    expect(inside.activeWindow?.window.name).toBe('weekly-maintenance');
    expect(inside.notice).toBeUndefined();
    // Every Sunday window lies inside the weekend freeze: there is never an opening.
    const never = setup({ ...freeze, deploysOnlyInWindows: true }).decide('deploy', '2026-11-26T10:00:00Z');
    expect(never.allowed).toBe(false);
    expect(never.next).toEqual([]);
  });

  it('stops searching a calendar that never opens instead of running forever', () => {
    const s = setup({ windows: [{ name: 'always', kind: 'deny', schedule: '* * * * *', duration: '2m' }] });
    const started = performance.now();
    const d = s.decide('deploy', '2026-11-26T10:00:00Z');
    expect(d.allowed).toBe(false);
    expect(d.next).toEqual([]);
    expect(d.searchCutShort).toBe(true);
    expect(d.reason).toMatch(/; no opening found$/);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe('overrides', () => {
  const blocked = () => setup().decide('maintenance', '2026-11-26T10:00:00Z');

  it('lets a listed actor override a block, recording who and why', () => {
    const d = applyOverride(blocked(), { reason: 'CVE-2026-1234 hotfix', actor: 'Alice', allowedActors: ['@alice'] });
    expect(d.allowed).toBe(true);
    expect(d.override).toEqual({ actor: 'Alice', reason: 'CVE-2026-1234 hotfix', applied: true });
    expect(d.reason).toMatch(
      /^overridden by @Alice: CVE-2026-1234 hotfix \(blocked because outside every maintenance window/,
    );
  });

  it('refuses anyone else, and an override without a known actor', () => {
    expect(() => applyOverride(blocked(), { reason: 'urgent', actor: 'mallory', allowedActors: ['alice'] })).toThrow(
      ActionFailure,
    );
    expect(() => applyOverride(blocked(), { reason: 'urgent', actor: 'mallory', allowedActors: ['alice'] })).toThrow(
      'override refused: @mallory is not in maintenance.overrideActors (alice)',
    );
    expect(() => applyOverride(blocked(), { reason: 'urgent', actor: undefined, allowedActors: ['alice'] })).toThrow(
      /GITHUB_ACTOR is not set/,
    );
  });

  it('changes nothing without a reason, and records an unneeded override as not applied', () => {
    const d = blocked();
    expect(applyOverride(d, { reason: undefined, actor: 'alice', allowedActors: ['alice'] })).toBe(d);
    const open = setup().decide('deploy', '2026-11-26T10:00:00Z');
    const o = applyOverride(open, { reason: 'belt and braces', actor: 'alice', allowedActors: ['alice'] });
    expect(o.override?.applied).toBe(false);
    expect(o.reason).toBe('no deny window is active');
  });
});

describe('announcement plan', () => {
  it('targets the next occurrence that can still be announced on time', () => {
    const s = setup();
    const monday = planAnnouncements(s.calendar, 48 * HOUR, ms('2026-11-23T00:00:00Z'), []);
    expect(monday.map((p) => [p.window.name, iso(p.occurrence?.start), p.existing, p.tooLate.length])).toEqual([
      ['weekly-maintenance', '2026-11-29T02:00:00.000Z', undefined, 0],
    ]);
    // Saturday: this Sunday is too close; next Sunday is the target.
    const saturday = planAnnouncements(s.calendar, 48 * HOUR, ms('2026-11-28T00:00:00Z'), []);
    expect(iso(saturday[0]?.occurrence?.start)).toBe('2026-12-06T02:00:00.000Z');
    expect(saturday[0]?.tooLate.map((o) => iso(o.start))).toEqual(['2026-11-29T02:00:00.000Z']);
  });

  it('finds the existing notice, so that announcing twice posts once', () => {
    const s = setup();
    const existing = notice('weekly-maintenance', '2026-11-29T02:00:00Z', '2026-11-23T00:00:00Z', 3);
    const plan = planAnnouncements(s.calendar, 48 * HOUR, ms('2026-11-24T00:00:00Z'), [existing]);
    expect(plan[0]?.existing?.number).toBe(3);
  });

  it('does not announce an occurrence that a freeze covers completely', () => {
    const s = setup({ freezes: [{ name: 'year-end', from: '2026-12-24', to: '2027-01-01' }] });
    const plan = planAnnouncements(s.calendar, 48 * HOUR, ms('2026-12-22T00:00:00Z'), []);
    expect(iso(plan[0]?.occurrence?.start)).toBe('2027-01-03T02:00:00.000Z');
  });
});

describe('policy and input validation', () => {
  const problem = (maintenance: unknown) => {
    try {
      parsePolicy({ maintenance });
    } catch (error) {
      return (error as Error).message;
    }
    return 'accepted';
  };
  const window = (fields: object) => ({ windows: [{ name: 'w', ...fields }] });

  it('names the key and what is allowed for each kind of mistake', () => {
    expect(problem(window({ schedule: '0 25 * * 0', duration: '2h' }))).toMatch(
      /^maintenance\.windows\[0\]\.schedule: expected a 5-field cron expression .*Invalid value for hour: 25/,
    );
    expect(problem(window({ schedule: '0 2 * * 0 2026', duration: '2h' }))).toMatch(
      /^maintenance\.windows\[0\]\.schedule: expected a 5-field cron expression/,
    );
    expect(problem(window({ schedule: '0 2 30 2 *', duration: '2h' }))).toBe(
      'maintenance.windows[0].schedule: never matches a date (e.g. 30 February)',
    );
    expect(problem(window({ schedule: '0 2 * * 0', duration: '0s' }))).toBe(
      'maintenance.windows[0].duration: must be longer than zero',
    );
    expect(problem(window({ schedule: '0 2 * * 0', duration: '-2h' }))).toMatch(
      /^maintenance\.windows\[0\]\.duration: expected a duration/,
    );
    expect(problem(window({ schedule: '0 2 * * 0', duration: '2h', timeZone: 'Europe/Londn' }))).toBe(
      'maintenance.windows[0].timeZone: expected an IANA time zone such as UTC or Europe/London',
    );
    expect(problem(window({ start: '2026-12-02T10:00', end: '2026-12-02T09:00' }))).toBe(
      'maintenance.windows[0].end: must be after start (2026-12-02T10:00)',
    );
    expect(problem(window({ start: '2026-12-02T10:00', end: '2026-12-02T10:00' }))).toMatch(/end: must be after start/);
    expect(problem(window({ start: '2026-02-30T10:00', end: '2026-03-02T10:00' }))).toBe(
      'maintenance.windows[0].start: is not a real date and time',
    );
    expect(problem(window({ start: '2026-03-02T24:00', end: '2026-03-03T10:00' }))).toBe(
      'maintenance.windows[0].start: is not a real date and time',
    );
    // A local start (10:00 in Berlin is 09:00Z) against an end with an offset.
    expect(problem(window({ start: '2026-12-02T10:00', end: '2026-12-02T09:30:00Z', timeZone: 'Europe/Berlin' }))).toBe(
      'accepted',
    );
    expect(problem(window({ start: '2026-12-02T10:00', end: '2026-12-02T08:30:00Z', timeZone: 'Europe/Berlin' }))).toBe(
      'maintenance.windows[0].end: must be after start (2026-12-02T10:00)',
    );
    expect(problem(window({ start: '2026-12-02T10:00+05:30', end: '2026-12-02T04:45Z' }))).toBe('accepted');
    expect(problem(window({ start: 'tomorrow', end: '2026-03-02T10:00' }))).toMatch(
      /^maintenance\.windows\[0\]\.start: expected an ISO 8601 date-time/,
    );
    expect(problem({ freezes: [{ name: 'f', from: '2026-12-26', to: '2026-12-24' }] })).toBe(
      'maintenance.freezes[0].to: must not be before from (2026-12-26)',
    );
    expect(problem({ windows: [], freezes: [{ name: 'f', from: '2026-12-24', to: '2026-12-26' }] })).toBe('accepted');
  });

  it('reads ad-hoc windows from the windows input with the same rules, naming the input', async () => {
    expect(await parseAdHocWindows('- {name: hotfix, start: "2026-11-26T20:00Z", end: "2026-11-26T22:00Z"}')).toEqual([
      { name: 'hotfix', kind: 'allow', start: '2026-11-26T20:00Z', end: '2026-11-26T22:00Z', timeZone: 'UTC' },
    ]);
    await expect(parseAdHocWindows('- {name: x, schedule: "every sunday", duration: 2h}')).rejects.toThrow(
      /^input "windows"\[0\]\.schedule: expected a 5-field cron expression/,
    );
    await expect(parseAdHocWindows('- {name: x, schedule: "0 2 * * 0", duration: 2h, zone: UTC}')).rejects.toThrow(
      'input "windows"[0]: unknown key(s) zone; allowed: name, kind, schedule, duration, start, end, timeZone',
    );
    await expect(parseAdHocWindows('name: x')).rejects.toThrow(
      /^input "windows" \(the list\): expected a list of windows/,
    );
    await expect(parseAdHocWindows('- [unclosed')).rejects.toThrow(/^input "windows": is not valid YAML/);
    const policy = parsePolicy({});
    const duplicate = await parseAdHocWindows(
      '- {name: weekly-maintenance, start: "2026-11-26T20:00Z", end: "2026-11-26T22:00Z"}',
    );
    expect(() => buildCalendar(policy.maintenance, duplicate, undefined)).toThrow(
      'input "windows"[0].name (got "weekly-maintenance"): is already the name of another window or freeze',
    );
  });
});
