import { z } from 'zod/mini';
import { DURATION_HELP, formatDuration, parseDuration } from './duration.js';
import { ConfigurationError, type ConfigurationIssue } from './errors.js';
import { redact, registerSecret, registerSecretUrl } from './secrets.js';

/**
 * Action inputs: read with the runner's naming rule, parsed once with one zod schema per action.
 * Every builder takes the raw string ('' when the input was not given) and yields `undefined`
 * for "not given", so `required()` can say which input is missing. Defaults live in action.yml:
 * the runner (and our CLI and test harness, which read the same file) fills them in.
 *
 * Built on `zod/mini`, whose schemas are plain functions rather than classes with ~50 methods per
 * instance: every action builds its input schema at start-up, and classic zod cost each one ~14 % of the
 * @actions/core-only start-up (bench/cold-start.mjs). The policy schema uses zod/mini too, so a bundle
 * carries one flavour of zod.
 */

export type RawInputs = Record<string, string>;
export type Env = Record<string, string | undefined>;

/** Same rule as @actions/core: spaces become underscores, upper-cased; dashes are kept. */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export function readRawInputs(names: Iterable<string>, env: Env): RawInputs {
  const raw: RawInputs = {};
  for (const name of names) raw[name] = (env[inputEnvName(name)] ?? '').trim();
  return raw;
}

/** A schema over one raw input string. */
export type InputSchema<T> = z.ZodMiniType<T, string | undefined>;
type Field<T> = InputSchema<T | undefined>;
/** Reports a problem with the input being parsed; the message says what is allowed. */
export type Fail = (message: string) => never;
/** How one input's raw string (undefined when absent) becomes its value. */
type Convert<T> = (raw: string | undefined, fail: Fail) => T;

class InputProblem extends Error {}

// Each input is one zod transform, whatever required() and mapInput() add: they compose the conversion
// functions (kept here per schema), not schemas. A pipe of optional(string()) into transforms cost
// three times the start-up per input (zod builds and first-runs each layer).
const conversions = new WeakMap<object, Convert<unknown>>();

function inputSchema<T>(convert: Convert<T>): InputSchema<T> {
  const schema = z.transform((raw: string | undefined, ctx): T => {
    try {
      return convert(typeof raw === 'string' ? raw : undefined, (message) => {
        throw new InputProblem(message);
      });
    } catch (error) {
      if (!(error instanceof InputProblem)) throw error;
      // zod/mini transforms have no addIssue: the issue goes straight into the payload.
      ctx.issues.push({ code: 'custom', message: error.message, input: raw });
      return z.NEVER;
    }
  });
  conversions.set(schema, convert);
  return schema;
}

function conversionOf<T>(schema: InputSchema<T>): Convert<T> {
  const convert = conversions.get(schema);
  if (!convert) throw new Error('required() and mapInput() take a schema made by input.* (src/core/inputs.ts)');
  return convert as Convert<T>;
}

function field<T>(convert: (text: string, fail: Fail) => T): Field<T> {
  return inputSchema((raw, fail) => {
    const text = raw?.trim() ?? '';
    return text === '' ? undefined : convert(text, fail);
  });
}

/** Makes a field mandatory: an empty value is reported as missing. */
export function required<T>(schema: Field<T>): InputSchema<T> {
  const convert = conversionOf(schema);
  return inputSchema((raw, fail) => convert(raw, fail) ?? fail('is required'));
}

/** Maps a parsed input further (a list into typed entries, text into a rule); `fail` reports a bad value. */
export function mapInput<T, U>(schema: InputSchema<T>, map: (value: T, fail: Fail) => U): InputSchema<U> {
  const convert = conversionOf(schema);
  return inputSchema((raw, fail) => map(convert(raw, fail), fail));
}

export const input = {
  text(options: { pattern?: RegExp; allowed?: string; maxLength?: number } = {}): Field<string> {
    return field((text, fail) => {
      if (options.maxLength !== undefined && text.length > options.maxLength)
        fail(`must be at most ${options.maxLength} characters`);
      if (options.pattern && !options.pattern.test(text))
        fail(`expected ${options.allowed ?? String(options.pattern)}`);
      return text;
    });
  },

  /** A value that must never be printed (token, password): masked as soon as it is read. */
  secret(): Field<string> {
    return field((text) => {
      registerSecret(text);
      return text;
    });
  },

  /** A URL that may carry credentials (database URLs): it and its password are masked. */
  secretUrl(protocols: readonly string[]): Field<URL> {
    return field((text, fail) => {
      registerSecretUrl(text);
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return fail(`expected a URL such as ${protocols[0]}//user:password@host:5432/db`);
      }
      if (!protocols.includes(url.protocol)) fail(`expected a URL with scheme ${protocols.join(' or ')}`);
      return url;
    });
  },

  boolean(): Field<boolean> {
    return field((text, fail) => {
      if (['true', 'True', 'TRUE'].includes(text)) return true;
      if (['false', 'False', 'FALSE'].includes(text)) return false;
      return fail('expected true or false');
    });
  },

  integer(options: { min?: number; max?: number } = {}): Field<number> {
    return field((text, fail) => {
      if (!/^-?\d+$/.test(text)) fail('expected a whole number');
      return checkRange(Number(text), options, fail);
    });
  },

  number(options: { min?: number; max?: number } = {}): Field<number> {
    return field((text, fail) => {
      const value = Number(text);
      if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(value)) fail('expected a number');
      return checkRange(value, options, fail);
    });
  },

  /** Milliseconds. */
  duration(options: { min?: number; max?: number } = {}): Field<number> {
    return field((text, fail) => {
      const ms = parseDuration(text);
      if (ms === undefined) return fail(`expected ${DURATION_HELP}`);
      if (ms <= 0 && (options.min ?? 1) > 0) fail('must be longer than zero');
      return checkRange(ms, options, fail, formatDuration);
    });
  },

  /** Newline- or comma-separated; blank entries dropped. */
  list(options: { min?: number; item?: (entry: string) => string | undefined } = {}): Field<string[]> {
    return field((text, fail) => {
      const items = splitList(text);
      if (options.min !== undefined && items.length < options.min)
        fail(`expected at least ${options.min} entr${options.min === 1 ? 'y' : 'ies'}`);
      if (options.item) {
        const problems = items.flatMap((entry) => {
          const problem = options.item?.(entry);
          return problem ? [`${JSON.stringify(entry)} ${problem}`] : [];
        });
        if (problems.length) fail(problems.join('; '));
      }
      return items;
    });
  },

  /** Newline-separated only, for values that may contain commas (command arguments, JSON). */
  lines(): Field<string[]> {
    return field((text) =>
      text
        .split(/\r?\n/)
        .map((s) => s.trim())
        .filter(Boolean),
    );
  },

  url(protocols: readonly string[] = ['https:', 'http:']): Field<URL> {
    return field((text, fail) => {
      let url: URL;
      try {
        url = new URL(text);
      } catch {
        return fail(`expected an absolute URL (${protocols.join(', ')})`);
      }
      if (!protocols.includes(url.protocol)) fail(`expected a URL with scheme ${protocols.join(' or ')}`);
      return url;
    });
  },

  choice<const T extends readonly string[]>(values: T): Field<T[number]> {
    return field((text, fail) => {
      if (!values.includes(text)) fail(`expected one of ${values.join(', ')}`);
      return text as T[number];
    });
  },

  /** An ISO 8601 instant with a zone (`2026-11-29T02:30:00Z`, `…+01:00`): a bare local time would be a guess. */
  instant(): Field<Date> {
    return field((text, fail) => {
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text))
        fail('expected an ISO 8601 instant with a time zone, such as 2026-11-29T02:30:00Z');
      const date = new Date(text);
      if (Number.isNaN(date.getTime())) fail('is not a valid date');
      return date;
    });
  },
};

function checkRange(
  value: number,
  { min, max }: { min?: number; max?: number },
  fail: Fail,
  show: (n: number) => string = String,
): number {
  if (min !== undefined && value < min) fail(`must be at least ${show(min)}`);
  if (max !== undefined && value > max) fail(`must be at most ${show(max)}`);
  return value;
}

export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Parses every input of `schema` from the raw strings; all problems come back in one ConfigurationError. */
export function parseInputs<S extends z.ZodMiniObject>(schema: S, raw: RawInputs): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  throw new ConfigurationError(toIssues(result.error.issues, raw), 'inputs');
}

export function toIssues(issues: readonly z.core.$ZodIssue[], raw: RawInputs): ConfigurationIssue[] {
  return issues.map((issue) => {
    const name = String(issue.path[0] ?? '');
    const given = raw[name];
    return {
      field: `input "${name}"`,
      value: given ? redact(given) : undefined,
      message: redact(issue.message),
    };
  });
}

/** Reads and parses the inputs an action's schema declares. */
export function getInputs<S extends z.ZodMiniObject>(schema: S, env: Env): z.output<S> {
  return parseInputs(schema, readRawInputs(Object.keys(schema.shape), env));
}
