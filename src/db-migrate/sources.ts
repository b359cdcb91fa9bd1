import { glob, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ActionFailure } from '../core/errors.js';
import { describeFailure, type Exec } from '../core/exec.js';
import { type LintFinding, type LintRule, type LintSeverity, lintSql, loadParser } from './lint.js';

/** Migration SQL files matching the `lint-files` globs (relative to the working directory), sorted, de-duplicated. */
export async function findSqlFiles(patterns: readonly string[], cwd: string): Promise<string[]> {
  const found = new Set<string>();
  for (const pattern of patterns) {
    for await (const file of glob(pattern, { cwd, exclude: ['**/node_modules/**'] })) {
      found.add(isAbsolute(file) ? file : join(cwd, file));
    }
  }
  return [...found].sort();
}

/**
 * Files changed since a git ref (committed since, staged, modified or new and not yet added), as absolute
 * paths: the migrations a pull request adds or edits. `git diff <ref>` compares the ref with the working tree.
 */
export async function changedFiles(ref: string, repository: string, exec: Exec): Promise<Set<string>> {
  const result = await exec(['git', 'diff', '--name-only', '--diff-filter=ACMR', '--no-renames', ref, '--'], {
    cwd: repository,
  });
  if (result.exitCode !== 0 || result.spawnError) {
    throw new ActionFailure(
      `cannot list the files changed since ${ref}: ${describeFailure(result)}`,
      'fetch the base ref first (actions/checkout with fetch-depth: 0) or fix the changed-since input',
    );
  }
  // New files not yet added to git are changes too; both lists are relative to the repository's top.
  const untracked = await exec(['git', 'ls-files', '--others', '--exclude-standard', '--full-name'], {
    cwd: repository,
  });
  const top = await exec(['git', 'rev-parse', '--show-toplevel'], { cwd: repository });
  const root = top.stdout.trim() || repository;
  return new Set(
    `${result.stdout}\n${untracked.exitCode === 0 ? untracked.stdout : ''}`
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .map((f) => resolve(root, f)),
  );
}

export interface LintReport {
  files: string[];
  findings: LintFinding[];
}

/** Lints every file; finding paths are relative to `workspace`, as annotations need them. */
export async function lintFiles(
  files: readonly string[],
  workspace: string,
  severities: Readonly<Record<LintRule, LintSeverity>>,
): Promise<LintReport> {
  if (files.length === 0) return { files: [], findings: [] };
  const parser = await loadParser();
  const findings: LintFinding[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    findings.push(...lintSql(relative(workspace, file) || file, text, parser, severities));
  }
  return { files: files.map((f) => relative(workspace, f)), findings };
}
