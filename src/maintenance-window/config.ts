import { z } from 'zod/mini';
import { ConfigurationError, type ConfigurationIssue } from '../core/errors.js';
import { formatPath } from '../core/policy/load.js';
import type { Policy, WindowPolicy } from '../core/policy/schema.js';
import { type CalendarWindow, calendarFreeze, calendarWindow } from './calendar.js';
import type { Calendar } from './decision.js';

/**
 * The `windows` input: ad-hoc windows as a YAML (or JSON) list, with the same keys as the policy's.
 * The YAML parser and the schema load only when the input is given.
 */
export async function parseAdHocWindows(text: string | undefined): Promise<WindowPolicy[]> {
  if (text === undefined || text.trim() === '') return [];
  const [{ parse: parseYaml }, { windowSchema }] = await Promise.all([
    import('yaml'),
    import('../core/policy/schema.js'),
  ]);
  const field = 'input "windows"';
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new ConfigurationError([
      { field, message: `is not valid YAML (${(error as Error).message.split('\n')[0]}); expected a list of windows` },
    ]);
  }
  const result = z.array(windowSchema).safeParse(data);
  if (result.success) return result.data;
  throw new ConfigurationError(
    result.error.issues.map(
      (issue): ConfigurationIssue => ({
        field: `${field} ${formatPath(issue.path as (string | number)[]) || '(the list)'}`.replace(/ \[/, '['),
        message:
          issue.path.length === 0
            ? 'expected a list of windows, e.g. [{name: release, kind: deny, start: 2026-12-01T09:00, end: 2026-12-01T17:00}]'
            : issue.code === 'unrecognized_keys'
              ? `unknown key(s) ${(issue as { keys?: string[] }).keys?.join(', ')}; allowed: name, kind, schedule, duration, start, end, timeZone`
              : issue.message,
      }),
    ),
  );
}

export interface WindowSet extends Calendar {
  /** Every window and freeze, for the report. */
  all: readonly CalendarWindow[];
}

/**
 * The calendar in play: the policy's windows and freezes plus the ad-hoc ones. `selected` (the `window`
 * input) narrows the allow windows; deny windows and freezes always apply.
 */
export function buildCalendar(
  maintenance: Policy['maintenance'],
  adHoc: readonly WindowPolicy[],
  selected: readonly string[] | undefined,
): WindowSet {
  const known = new Set([...maintenance.windows.map((w) => w.name), ...maintenance.freezes.map((f) => f.name)]);
  const clashes = adHoc.flatMap((w, i) => {
    const clash = known.has(w.name) || adHoc.findIndex((other) => other.name === w.name) < i;
    known.add(w.name);
    return clash
      ? [
          {
            field: `input "windows"[${i}].name`,
            value: w.name,
            message: 'is already the name of another window or freeze',
          },
        ]
      : [];
  });
  if (clashes.length) throw new ConfigurationError(clashes);

  const windows = [...maintenance.windows, ...adHoc].map(calendarWindow);
  const freezes = maintenance.freezes.map(calendarFreeze);
  const allowNames = windows.filter((w) => w.kind === 'allow').map((w) => w.name);
  if (selected !== undefined) {
    const problems = selected.flatMap((name): ConfigurationIssue[] => {
      if (allowNames.includes(name)) return [];
      const isDeny = known.has(name);
      return [
        {
          field: 'input "window"',
          value: name,
          message: isDeny
            ? `names a deny window or freeze; name allow windows (${allowNames.join(', ') || 'none defined'}) — deny windows always apply`
            : `unknown window; allow windows are ${allowNames.join(', ') || 'none (define maintenance.windows in the policy or the windows input)'}`,
        },
      ];
    });
    if (problems.length) throw new ConfigurationError(problems);
  }
  const all = [...windows, ...freezes];
  return {
    all,
    allow: windows.filter((w) => w.kind === 'allow' && (selected === undefined || selected.includes(w.name))),
    deny: all.filter((w) => w.kind === 'deny'),
  };
}
