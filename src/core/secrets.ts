import * as core from '@actions/core';

/**
 * Secrets are registered once, as early as possible: the runner masks them in its log
 * (`core.setSecret`), and `redact` removes them from anything we write ourselves
 * (summaries, outputs, error messages, captured command output).
 */
const known = new Set<string>();

export function registerSecret(value: string | undefined): void {
  if (!value || value.length < 3 || known.has(value)) return;
  known.add(value);
  core.setSecret(value);
}

/** Registers a URL and the credentials inside it (user:password@, `password=` query parameters). */
export function registerSecretUrl(url: string | undefined): void {
  if (!url) return;
  registerSecret(url);
  try {
    const parsed = new URL(url);
    if (parsed.password) {
      registerSecret(parsed.password);
      registerSecret(decodeURIComponent(parsed.password));
    }
    for (const [key, value] of parsed.searchParams) {
      if (/pass|secret|token|key/i.test(key)) registerSecret(value);
    }
  } catch {
    // Not a WHATWG URL (e.g. a libpq key=value string): the whole value is masked above.
  }
}

export function redact(text: string): string {
  let out = text;
  for (const secret of [...known].sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('***');
  }
  return out;
}

/** A URL safe to print: credentials replaced, host kept so "database unreachable" errors stay useful. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) {
      if (/pass|secret|token|key/i.test(key)) parsed.searchParams.set(key, '***');
    }
    return parsed.toString();
  } catch {
    return redact(url);
  }
}
