/**
 * The two kinds of failure a user can act on, kept apart from bugs:
 * - ConfigurationError: the user's inputs or policy file are wrong; the message names each field.
 * - ActionFailure: the configuration is fine but the guarded operation must not proceed
 *   (a check failed, a rollout was rolled back, a backup is damaged).
 * Anything else reaching the run wrapper is an internal error.
 */
export interface ConfigurationIssue {
  /** The input name (`timeout`) or policy path (`maintenance.windows[0].timeZone`). */
  field: string;
  /** What was given, already redacted; undefined when the field was missing. */
  value?: string | undefined;
  /** What is allowed. */
  message: string;
}

export class ConfigurationError extends Error {
  readonly issues: ConfigurationIssue[];
  constructor(
    issues: ConfigurationIssue[] | string,
    readonly source = 'inputs',
  ) {
    const list = typeof issues === 'string' ? [{ field: source, message: issues }] : issues;
    super(formatIssues(list));
    this.name = 'ConfigurationError';
    this.issues = list;
  }
}

export function formatIssues(issues: ConfigurationIssue[]): string {
  return issues
    .map((i) => {
      const given = i.value === undefined ? '' : ` (got ${JSON.stringify(truncate(i.value, 120))})`;
      return `${i.field}${given}: ${i.message}`;
    })
    .join('; ');
}

/** The operation must not go ahead; `hint` tells the user what to do about it. */
export class ActionFailure extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ActionFailure';
  }
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
