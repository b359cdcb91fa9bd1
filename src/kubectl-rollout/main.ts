import { z } from 'zod/mini';
import { formatDuration } from '../core/duration.js';
import { ActionFailure, ConfigurationError, type ConfigurationIssue } from '../core/errors.js';
import { type Exec, exec as realExec } from '../core/exec.js';
import { input, mapInput, type RawInputs, readRawInputs, required, splitList } from '../core/inputs.js';
import { type ActionContext, type RunOptions, runAction } from '../core/run.js';
import { describeUrl } from '../core/secrets.js';
import type { Summary } from '../core/summary.js';
import { parseExpectedStatus, statusEntryProblem } from '../health-check/expect.js';
import { createKubectl, KubectlError } from './kubectl.js';
import { DNS_LABEL, type ImageOverride, parseImageOverride } from './manifests.js';
import type { OperationReport } from './operations.js';
import type { RolloutDeps, RolloutReport } from './rollout.js';
import { parseWorkloadName, type WorkloadName } from './targets.js';
import { kubectlName } from './types.js';

function imageProblem(entry: string): string | undefined {
  const parsed = parseImageOverride(entry);
  return typeof parsed === 'string' ? parsed : undefined;
}

function urlProblem(entry: string): string | undefined {
  try {
    const url = new URL(entry);
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : 'expected an http: or https: URL';
  } catch {
    return 'is not an absolute URL';
  }
}

/**
 * The smoke command as an argument list, never a shell: one line is split on spaces; with several
 * lines, each line is one argument (for arguments that contain spaces). Quotes would suggest shell
 * parsing that does not happen, so they are refused on a single line.
 */
export function smokeArgv(lines: readonly string[]): string[] | string {
  if (lines.length === 1) {
    const line = lines[0] as string;
    if (/["'`\\$|;&<>(){}]/.test(line))
      return 'looks like shell syntax (quotes, $, |, ;, &, <, >): no shell runs it; write one argument per line instead';
    return line.split(/\s+/).filter(Boolean);
  }
  return [...lines];
}

function workloadProblem(entry: string): string | undefined {
  const parsed = parseWorkloadName(entry);
  return typeof parsed === 'string' ? parsed : undefined;
}

export const MODES = ['apply', 'rollback', 'scale'] as const;
export type Mode = (typeof MODES)[number];

export const inputSchema = z.object({
  mode: required(input.choice(MODES)),
  manifests: input.list({ min: 1 }),
  workloads: mapInput(input.list({ item: workloadProblem }), (list) =>
    list?.map((entry) => parseWorkloadName(entry) as WorkloadName),
  ),
  'to-revision': input.integer({ min: 1, max: 2_147_483_647 }),
  replicas: input.integer({ min: 0, max: 100_000 }),
  namespace: input.text({
    pattern: DNS_LABEL,
    maxLength: 63,
    allowed:
      'a Kubernetes namespace name: a DNS-1123 label (a-z, 0-9 and "-", starting and ending with a letter or digit)',
  }),
  context: input.text({
    pattern: /^[A-Za-z0-9][A-Za-z0-9._@:/-]*$/,
    maxLength: 253,
    allowed: 'a kubeconfig context name (letters, digits, ".", "_", "@", ":", "/", "-")',
  }),
  images: mapInput(
    input.list({ item: imageProblem }),
    (list) => list?.map((entry) => parseImageOverride(entry) as ImageOverride) ?? [],
  ),
  'change-cause': input.text({ maxLength: 1024 }),
  'dry-run': required(input.choice(['none', 'server', 'diff'] as const)),
  timeout: input.duration({ min: 1000, max: 6 * 3_600_000 }),
  'poll-interval': required(input.duration({ min: 100, max: 60_000 })),
  'restart-limit': input.integer({ min: 1, max: 10_000 }),
  'image-pull-grace': input.duration({ min: 0, max: 3_600_000 }),
  'first-deploy': input.choice(['delete', 'keep', 'fail'] as const),
  paused: required(input.choice(['fail', 'resume'] as const)),
  'health-urls': input.list({ item: urlProblem }),
  'health-expected-status': mapInput(input.list({ item: statusEntryProblem }), (v) => v && parseExpectedStatus(v)),
  'health-retries': required(input.integer({ min: 0, max: 1000 })),
  'health-timeout': input.duration({ max: 600_000 }),
  'smoke-command': mapInput(input.lines(), (lines, fail) => {
    if (!lines?.length) return undefined;
    const argv = smokeArgv(lines);
    return typeof argv === 'string' ? fail(argv) : argv;
  }),
  'smoke-timeout': required(input.duration({ max: 6 * 3_600_000 })),
  kubectl: required(
    input.text({ pattern: /^[^\s-][^\s]*$/, allowed: 'a kubectl program name or path without spaces' }),
  ),
  'log-lines': required(input.integer({ min: 1, max: 10_000 })),
  'policy-file': input.text(),
});

/** Inputs only some modes read: given in another mode, they are refused rather than silently ignored. */
const ONLY_IN: Readonly<Record<string, readonly Mode[]>> = {
  manifests: ['apply'],
  images: ['apply'],
  'change-cause': ['apply'],
  'first-deploy': ['apply'],
  'health-urls': ['apply'],
  'health-timeout': ['apply'],
  'smoke-command': ['apply'],
  workloads: ['rollback', 'scale'],
  'to-revision': ['rollback'],
  replicas: ['scale'],
};
const REQUIRED_IN: Readonly<Record<Mode, readonly string[]>> = {
  apply: ['manifests'],
  rollback: ['workloads'],
  scale: ['workloads', 'replicas'],
};
/** Inputs with a default that only some modes read: a value other than the default is refused elsewhere. */
const NON_DEFAULT_ONLY_IN: Readonly<Record<string, { default: string; modes: readonly Mode[] }>> = {
  'dry-run': { default: 'none', modes: ['apply'] },
  paused: { default: 'fail', modes: ['apply', 'rollback'] },
};

/**
 * Which inputs each mode takes, from the raw input strings (after each input's own rules passed):
 * required ones per mode, inputs of another mode, and the rules that span inputs.
 */
export function modeIssues(mode: Mode, raw: RawInputs): ConfigurationIssue[] {
  const issues: ConfigurationIssue[] = [];
  const given = (name: string) => (raw[name] ?? '').trim() !== '';
  for (const name of REQUIRED_IN[mode])
    if (!given(name)) issues.push({ field: `input "${name}"`, message: `is required with mode ${mode}` });
  for (const [name, modes] of Object.entries(ONLY_IN))
    if (given(name) && !modes.includes(mode))
      issues.push({
        field: `input "${name}"`,
        value: raw[name],
        message: `only applies to mode ${modes.join(' or ')}, not mode ${mode}: remove it`,
      });
  for (const [name, rule] of Object.entries(NON_DEFAULT_ONLY_IN)) {
    const value = (raw[name] ?? '').trim();
    if (value !== '' && value !== rule.default && !rule.modes.includes(mode))
      issues.push({
        field: `input "${name}"`,
        value,
        message: `${name}: ${value} only applies to mode ${rule.modes.join(' or ')}, not mode ${mode}`,
      });
  }
  const workloads = splitList(raw.workloads ?? '');
  if (mode === 'rollback' && given('to-revision') && workloads.length !== 1)
    issues.push({
      field: 'input "to-revision"',
      value: raw['to-revision'],
      message: `applies to exactly one workload (revision numbers are per workload); ${workloads.length} given in input "workloads"`,
    });
  if (mode === 'scale')
    for (const entry of workloads)
      if (entry.startsWith('daemonset/'))
        issues.push({
          field: 'input "workloads"',
          value: entry,
          message:
            'a DaemonSet runs one pod per node and cannot be scaled: use deployment/<name> or statefulset/<name>',
        });
  const seen = new Set<string>();
  for (const entry of workloads) {
    if (seen.has(entry)) issues.push({ field: 'input "workloads"', value: entry, message: 'is listed twice' });
    seen.add(entry);
  }
  return issues;
}

export interface KubectlRolloutRunOptions extends RunOptions {
  exec?: Exec;
  fetch?: typeof fetch;
}

export function run(options: KubectlRolloutRunOptions = {}) {
  return runAction(
    'kubectl-rollout',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      const issues = modeIssues(inputs.mode, readRawInputs(Object.keys(inputSchema.shape), ctx.env));
      if (issues.length) throw new ConfigurationError(issues);
      const { kubernetes, health } = await ctx.policy();
      const exec = options.exec ?? realExec;
      const env = ctx.env;
      // kubectl reads the runner's kubeconfig; passed on explicitly so an injected environment is honoured.
      const kubeEnv = Object.fromEntries(
        ['KUBECONFIG', 'KUBECACHEDIR'].flatMap((name) => (env[name] ? [[name, env[name] as string]] : [])),
      );
      const kubectl = createKubectl({
        binary: inputs.kubectl,
        context: inputs.context,
        exec,
        log: ctx.log,
        env: kubeEnv,
      });
      // Each mode loads its own code: rollback and scale need no manifest handling, apply no revision history.
      if (inputs.mode !== 'apply') {
        const { rollback, scale } = await import('./operations.js');
        const deps: RolloutDeps = { kubectl, exec, clock: ctx.clock, log: ctx.log };
        const common = {
          workloads: inputs.workloads ?? [],
          namespace: inputs.namespace,
          timeoutMs: inputs.timeout ?? kubernetes.timeout,
          pollMs: inputs['poll-interval'],
          rules: {
            restartLimit: inputs['restart-limit'] ?? kubernetes.restartLimit,
            imagePullGraceMs: inputs['image-pull-grace'] ?? kubernetes.imagePullGrace,
          },
          logLines: inputs['log-lines'],
        };
        const operation =
          inputs.mode === 'rollback'
            ? rollback({ ...common, toRevision: inputs['to-revision'], paused: inputs.paused }, deps)
            : scale(
                {
                  ...common,
                  replicas: inputs.replicas as number,
                  scaling: kubernetes.scaling,
                  policyFile: inputs['policy-file'] ?? '.github/runbook.yml',
                },
                deps,
              );
        await finishOperation(ctx, inputs.mode, operation);
        return;
      }
      const runUrl =
        env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
          ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
          : undefined;
      const { deploy } = await import('./rollout.js');
      let report: RolloutReport;
      try {
        report = await deploy(
          {
            manifests: inputs.manifests ?? [],
            namespace: inputs.namespace,
            images: inputs.images,
            changeCause: inputs['change-cause'] ?? (runUrl ? `deployed by ${runUrl}` : undefined),
            dryRun: inputs['dry-run'],
            timeoutMs: inputs.timeout ?? kubernetes.timeout,
            pollMs: inputs['poll-interval'],
            rules: {
              restartLimit: inputs['restart-limit'] ?? kubernetes.restartLimit,
              imagePullGraceMs: inputs['image-pull-grace'] ?? kubernetes.imagePullGrace,
            },
            firstDeploy: inputs['first-deploy'] ?? kubernetes.firstDeploy,
            paused: inputs.paused,
            health: inputs['health-urls']?.length
              ? {
                  urls: inputs['health-urls'],
                  expectedStatus: inputs['health-expected-status'],
                  retries: inputs['health-retries'],
                  timeoutMs: inputs['health-timeout'] ?? health.timeout,
                  backoffMs: 1000,
                }
              : undefined,
            smoke: inputs['smoke-command']
              ? { argv: inputs['smoke-command'], timeoutMs: inputs['smoke-timeout'] }
              : undefined,
            logLines: inputs['log-lines'],
            workspace: ctx.workspace,
          },
          { kubectl, exec, clock: ctx.clock, log: ctx.log, ...(options.fetch ? { fetch: options.fetch } : {}) },
        );
      } catch (error) {
        // Recording the revisions failed: nothing was applied, the cluster is unchanged.
        throw clusterUnreachable(ctx, error, 'nothing was applied');
      }

      ctx.setOutput('result', report.result);
      ctx.setOutput('reason', report.reason);
      ctx.setOutput('failed-workloads', report.failed);
      ctx.setOutput(
        'previous-revisions',
        Object.fromEntries(report.workloads.map((w) => [w.key, w.before.revision ?? null])),
      );
      ctx.setOutput(
        'rolled-back-to',
        Object.fromEntries(
          report.workloads.flatMap((w): [string, number | string | null][] =>
            w.rollback === 'rolled-back'
              ? [[w.key, w.rolledBackTo ?? null]]
              : w.rollback === 'deleted'
                ? [[w.key, 'deleted']]
                : [],
          ),
        ),
      );
      writeSummary(ctx.summary, report);
      ctx.log.info(`kubectl processes: ${report.kubectlCalls}, polls: ${report.polls}`);

      if (report.result !== 'success') {
        const hint =
          report.result === 'rollback-failed'
            ? 'the rollback did not complete or could not be verified: the cluster may be running the failed version — open a P0 incident'
            : report.result === 'rolled-back'
              ? 'the previous version is running again; the job summary has the events and logs of the failed version'
              : 'see the job summary for the events and logs';
        throw new ActionFailure(`${report.result} (${report.reason}): ${report.message}`, hint);
      }
    },
    options,
  );
}

/** Outputs, job summary and the step's outcome of mode rollback and mode scale. */
async function finishOperation(
  ctx: ActionContext,
  mode: 'rollback' | 'scale',
  operation: Promise<OperationReport>,
): Promise<void> {
  let report: OperationReport;
  try {
    report = await operation;
  } catch (error) {
    // Reading the workloads failed before anything was changed.
    throw clusterUnreachable(ctx, error, 'nothing was changed');
  }
  ctx.setOutput('result', report.result);
  ctx.setOutput('reason', report.reason);
  ctx.setOutput('failed-workloads', report.failed);
  if (mode === 'rollback') {
    ctx.setOutput('previous-revisions', Object.fromEntries(report.rows.map((r) => [r.key, r.before ?? null])));
    ctx.setOutput(
      'rolled-back-to',
      Object.fromEntries(report.rows.filter((r) => r.done).map((r) => [r.key, r.target ?? null])),
    );
  } else {
    ctx.setOutput('previous-replicas', Object.fromEntries(report.rows.map((r) => [r.key, r.before ?? null])));
  }
  writeOperationSummary(ctx.summary, mode, report);
  ctx.log.info(`kubectl processes: ${report.kubectlCalls}, polls: ${report.polls}`);
  if (report.result !== 'success')
    throw new ActionFailure(
      `${mode} ${report.result} (${report.reason}): ${report.message}`,
      report.rows.some((r) => r.done || r.state.startsWith('failed') || r.state === 'not complete')
        ? 'the cluster was changed but not verified: see the job summary for the state of each workload'
        : 'nothing was changed',
    );
}

export function writeOperationSummary(summary: Summary, mode: 'rollback' | 'scale', report: OperationReport): void {
  const icon = report.result === 'success' ? '✅' : '❌';
  summary.heading(`${icon} kubectl ${mode}: ${report.result}${report.reason ? ` (${report.reason})` : ''}`);
  summary.paragraph(report.message.replace(/</g, '&lt;'));
  if (mode === 'rollback')
    summary.table(
      ['Workload', 'Namespace', 'Revision before', 'Rolled back to', 'State'],
      report.rows.map((r) => [
        kubectlName(r.ref),
        r.ref.namespace,
        r.before ?? '—',
        r.target ?? '—',
        `${r.state}${r.message ? `: ${r.message}` : ''}`,
      ]),
    );
  else
    summary.table(
      ['Workload', 'Namespace', 'Replicas before', 'Replicas requested', 'Policy bounds', 'State'],
      report.rows.map((r) => [
        kubectlName(r.ref),
        r.ref.namespace,
        r.before ?? '—',
        r.target ?? '—',
        r.bounds ? `${r.bounds.min}–${r.bounds.max}` : 'none',
        `${r.state}${r.message ? `: ${r.message}` : ''}`,
      ]),
    );
  for (const d of report.diagnostics) summary.details(d.title, d.body);
}

const ICON: Record<RolloutReport['result'], string> = {
  success: '✅',
  'rolled-back': '↩️',
  'rollback-failed': '🔥',
  failed: '❌',
};

export function writeSummary(summary: Summary, report: RolloutReport): void {
  summary.heading(
    `${ICON[report.result]} kubectl rollout: ${report.result}${report.reason ? ` (${report.reason})` : ''}`,
  );
  summary.paragraph(report.message.replace(/</g, '&lt;'));
  if (report.workloads.length)
    summary.table(
      ['Workload', 'Namespace', 'Revision before', 'Revision after', 'Rollout', 'Rollback'],
      report.workloads.map((w) => [
        kubectlName(w.ref),
        w.ref.namespace,
        w.before.existed ? (w.before.revision ?? 'unknown') : 'new',
        w.after,
        `${w.state}${w.message ? `: ${w.message}` : ''}`,
        w.rollback === 'none' ? '—' : `${w.rollback}${w.rollbackMessage ? `: ${w.rollbackMessage}` : ''}`,
      ]),
    );
  if (report.health)
    summary.table(
      ['Health check', 'Healthy', 'Status', 'Attempts', 'Problem'],
      report.health.urls.map((u) => [describeUrl(u.url), u.healthy ? 'yes' : 'no', u.status, u.attempts, u.problem]),
    );
  const { detectedMs, rollbackStartedMs, rollbackCompletedMs } = report.timings;
  if (detectedMs !== undefined)
    summary.paragraph(
      `Failure detected ${formatDuration(detectedMs)} after the apply; rollback started at ${formatDuration(rollbackStartedMs ?? 0)} and finished at ${formatDuration(rollbackCompletedMs ?? 0)}.`,
    );
  for (const d of report.diagnostics) summary.details(d.title, d.body);
}

/** kubectl could not read the cluster before any change: outputs say so, and the step fails with what to check. */
function clusterUnreachable(ctx: ActionContext, error: unknown, unchanged: string): unknown {
  if (!(error instanceof KubectlError)) return error;
  ctx.setOutput('result', 'failed');
  ctx.setOutput('reason', 'KubectlError');
  return new ActionFailure(
    error.message,
    `check the kubeconfig, the context and that the cluster is reachable; ${unchanged}`,
  );
}
