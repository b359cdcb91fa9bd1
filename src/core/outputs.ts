import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { redact } from './secrets.js';

/** Output values as the runner stores them: strings; objects as JSON, booleans and numbers as text. */
export function outputText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/**
 * Appends `name<<delimiter` blocks to the `GITHUB_OUTPUT` file, the format @actions/core writes
 * (multi-line safe). Written here rather than through core.setOutput so the file comes from the
 * injected environment, as every other runner variable does.
 */
export function writeOutput(file: string | undefined, name: string, value: string): void {
  if (!file) return;
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${name}<<${delimiter}\n${redact(value)}\n${delimiter}\n`, 'utf8');
}

/** Reads a `GITHUB_OUTPUT` file back (harness, CLI). */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] as string);
      outputs[name] = value.join('\n');
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs[line.slice(0, at)] = line.slice(at + 1);
    }
  }
  return outputs;
}
