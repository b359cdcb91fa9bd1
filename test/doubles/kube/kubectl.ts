import { accessSync, constants, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** A kubectl the integration tests run: the default one on PATH and the oldest/newest versioned binaries. */
export interface KubectlBinary {
  label: string;
  path: string;
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findOnPath(program: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, program);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * `kubectl` plus `kubectl.1.27` and `kubectl.1.33`, looked up next to the binary `kubectl` resolves to
 * (the Google Cloud SDK ships versioned binaries there) and on PATH. Missing ones are listed with why.
 */
export function kubectlBinaries(versions: readonly string[] = ['1.27', '1.33']): {
  found: KubectlBinary[];
  missing: string[];
} {
  const found: KubectlBinary[] = [];
  const missing: string[] = [];
  const fallback = findOnPath('kubectl');
  if (!fallback) {
    missing.push('kubectl is not on PATH');
    return { found, missing };
  }
  found.push({ label: 'kubectl (default)', path: fallback });
  const home = dirname(realpathSync(fallback));
  for (const version of versions) {
    const name = `kubectl.${version}`;
    const path = [join(home, name), findOnPath(name)].find((p): p is string => !!p && executable(p));
    if (path) found.push({ label: name, path });
    else missing.push(`${name} not found next to ${fallback} or on PATH`);
  }
  return { found, missing };
}
