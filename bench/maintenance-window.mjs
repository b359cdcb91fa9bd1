#!/usr/bin/env node
// Maintenance-window decision cost: one `decide()` (active windows, next three openings) for calendars of
// growing difficulty, at instants spread over a year. The pathological calendar (a deny window every minute
// that never closes) shows the search bound at work: it must end in seconds, not run the job out.
// Usage (Node 24, as the runner): npx node bench/maintenance-window.mjs [--instants 200]
import { parseArgs } from 'node:util';
import '../scripts/ts-hooks.mjs'; // the TypeScript sources below load directly

const { values } = parseArgs({ options: { instants: { type: 'string', default: '200' } } });
const instants = Number(values.instants);
const { parsePolicy } = await import('../src/core/policy/parse.ts');
const { buildCalendar } = await import('../src/maintenance-window/config.ts');
const { decide } = await import('../src/maintenance-window/decision.ts');

const calendars = {
  'runbook default (Sunday 02:00-04:00 UTC)': {},
  'London window + Berlin weekend freeze + year-end freeze': {
    windows: [
      { name: 'weekly', schedule: '0 2 * * 0', duration: '2h', timeZone: 'Europe/London' },
      { name: 'nightly', schedule: '30 1 * * 1-5', duration: '1h', timeZone: 'America/New_York' },
      { name: 'friday-freeze', kind: 'deny', schedule: '0 16 * * 5', duration: '2d16h', timeZone: 'Europe/Berlin' },
    ],
    freezes: [{ name: 'year-end', from: '2026-12-24', to: '2027-01-01', timeZone: 'America/New_York' }],
  },
  'leap-day window (0 2 29 2 *)': { windows: [{ name: 'leap', schedule: '0 2 29 2 *', duration: '2h' }] },
  'pathological: deny every minute for 2m (never opens)': {
    windows: [{ name: 'always', kind: 'deny', schedule: '* * * * *', duration: '2m' }],
  },
};

const start = Date.parse('2026-01-01T00:00:00Z');
const year = 365 * 86_400_000;
console.log(`decide() at ${instants} instants over 2026, maintenance and deploy (Node ${process.version})`);
for (const [label, maintenance] of Object.entries(calendars)) {
  const policy = parsePolicy({ maintenance });
  const calendar = buildCalendar(policy.maintenance, [], undefined);
  const pathological = label.startsWith('pathological');
  const count = pathological ? Math.min(instants, 3) : instants;
  for (const operation of ['maintenance', 'deploy']) {
    const rules = { operation, noticeMs: policy.maintenance.notice, noticeLabel: 'n', deploysOnlyInWindows: false };
    const times = [];
    for (let i = 0; i < count; i++) {
      const at = start + Math.floor((i * year) / count);
      const t0 = performance.now();
      decide(calendar, rules, at, []);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const pick = (q) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)].toFixed(2);
    console.log(
      `  ${label.padEnd(58)} ${operation.padEnd(11)} median ${pick(0.5)} ms  p95 ${pick(0.95)} ms  max ${pick(1)} ms  (n=${count})`,
    );
  }
}
