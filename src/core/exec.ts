import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Logger } from './logger.js';
import { redact } from './secrets.js';

/**
 * Runs a program with an argument array: never through a shell, so no input is ever interpreted
 * as shell syntax. Built on node:child_process rather than @actions/exec because a deploy tool
 * needs what that lacks: a hard deadline that kills the whole process tree (TERM, then KILL),
 * bounded capture, and an abort signal.
 */
export interface ExecOptions {
  cwd?: string;
  /** Added to (not replacing) the current environment. */
  env?: Record<string, string | undefined>;
  /** Replace the environment entirely instead. */
  replaceEnv?: boolean;
  stdin?: string;
  /** A stream piped into the program's stdin (bounded memory); its failure is reported as `stdinError`. */
  stdinStream?: Readable;
  timeoutMs?: number;
  /** Time between TERM and KILL. */
  killGraceMs?: number;
  /** Bytes kept of each stream; the tail is kept, since errors come last. */
  maxOutputBytes?: number;
  signal?: AbortSignal;
  log?: Logger;
  /** Stream each output line to the log as it arrives. */
  echo?: boolean;
  /** Called with every chunk as it arrives (live output for the CLI). */
  onData?: (chunk: string, stream: 'stdout' | 'stderr') => void;
}

export interface ExecResult {
  command: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  aborted: boolean;
  truncated: boolean;
  durationMs: number;
  /** The `stdinStream` failed (e.g. a truncated gzip stream) or the program stopped reading it. */
  stdinError?: string;
  /** ENOENT etc.: the program could not be started at all. */
  spawnError?: string;
}

export type Exec = (argv: readonly string[], options?: ExecOptions) => Promise<ExecResult>;

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024;

export const exec: Exec = (argv, options = {}) => {
  const [program, ...args] = argv;
  if (!program) throw new Error('exec: empty command');
  const command = argv.map(quoteForDisplay).join(' ');
  const started = performance.now();
  const max = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  options.log?.debug(`exec: ${command}`);

  return new Promise((resolve) => {
    const child = spawn(program, args, {
      cwd: options.cwd,
      env: options.replaceEnv ? cleanEnv(options.env ?? {}) : cleanEnv({ ...process.env, ...options.env }),
      shell: false,
      detached: true, // own process group, so the deadline kills grandchildren too
      stdio: ['pipe', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const stdout = new Tail(max);
    const stderr = new Tail(max);
    let timedOut = false;
    let aborted = false;
    let spawnError: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const terminate = () => {
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), options.killGraceMs ?? 5_000);
      killTimer.unref();
    };
    const deadline =
      options.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true;
            terminate();
          }, options.timeoutMs)
        : undefined;
    const onAbort = () => {
      aborted = true;
      terminate();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const forward = (stream: 'stdout' | 'stderr', tail: Tail) => (chunk: Buffer) => {
      tail.push(chunk);
      options.onData?.(chunk.toString('utf8'), stream);
      if (options.echo && options.log)
        for (const line of chunk.toString('utf8').split(/\r?\n/)) if (line) options.log.info(line);
    };
    child.stdout.on('data', forward('stdout', stdout));
    child.stderr.on('data', forward('stderr', stderr));
    child.stdin.on('error', () => {}); // the program may exit without reading its input
    let stdinError: string | undefined;
    let piping: Promise<void> | undefined;
    if (options.stdinStream)
      piping = pipeline(options.stdinStream, child.stdin).catch((error: Error) => {
        stdinError = error.message;
      });
    else if (options.stdin !== undefined) child.stdin.end(options.stdin);
    else child.stdin.end();

    child.on('error', (error: NodeJS.ErrnoException) => {
      spawnError = error.code === 'ENOENT' ? `command not found: ${program}` : error.message;
    });
    child.on('close', (exitCode, signal) => {
      if (deadline) clearTimeout(deadline);
      if (killTimer) clearTimeout(killTimer);
      // A timed-out leader may leave children: make sure the group is gone.
      if (timedOut || aborted) signalGroup(child.pid, 'SIGKILL');
      options.signal?.removeEventListener('abort', onAbort);
      const settled = () =>
        resolve({
          command: redact(command),
          exitCode,
          signal,
          stdout: redact(stdout.text()),
          stderr: redact(stderr.text()),
          timedOut,
          aborted,
          truncated: stdout.truncated || stderr.truncated,
          durationMs: performance.now() - started,
          ...(spawnError ? { spawnError } : {}),
          ...(stdinError ? { stdinError } : {}),
        });
      if (piping) void piping.then(settled);
      else settled();
    });
  });
};

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

function cleanEnv(env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

/** Keeps the last `max` bytes of a stream. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly max: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.size > this.max && this.chunks.length > 1) {
      this.size -= this.chunks.shift()?.length ?? 0;
      this.truncated = true;
    }
    if (this.size > this.max) {
      const only = this.chunks[0] as Buffer;
      this.chunks = [only.subarray(only.length - this.max)];
      this.size = this.max;
      this.truncated = true;
    }
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

export function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** One line on why a command failed, with the tail of its stderr. */
export function describeFailure(result: ExecResult, tailLines = 20): string {
  if (result.spawnError) return result.spawnError;
  const why = result.timedOut
    ? `timed out after ${Math.round(result.durationMs / 1000)}s`
    : result.aborted
      ? 'was cancelled'
      : result.signal
        ? `was killed by ${result.signal}`
        : `exited with code ${result.exitCode}`;
  const tail = lastLines(result.stderr || result.stdout, tailLines);
  return `\`${result.command}\` ${why}${tail ? `:\n${tail}` : ''}`;
}

export function lastLines(text: string, count: number): string {
  return text.trimEnd().split(/\r?\n/).slice(-count).join('\n');
}
