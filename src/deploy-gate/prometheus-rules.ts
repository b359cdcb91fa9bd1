import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';

/** Prometheus durations: units y, w, d, h, m, s, ms in that order, e.g. `5m`, `1h30m`. */
const PROM_DURATION = /^(?:\d+y)?(?:\d+w)?(?:\d+d)?(?:\d+h)?(?:\d+m)?(?:\d+s)?(?:\d+ms)?$/;

export interface AlertRule {
  file: string;
  line: number | undefined;
  group: string;
  alert: string;
  expr: string;
  labels: Record<string, string>;
}

export interface RuleProblem {
  file: string;
  line: number | undefined;
  message: string;
}

export interface RuleFileReport {
  alerts: AlertRule[];
  problems: RuleProblem[];
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * Checks a Prometheus rule file (`groups: [{ name, rules: [...] }]`, as in the runbook's example). Every
 * alerting rule must have `expr`, `for`, `labels.severity` and `annotations.summary`; recording rules
 * (`record:`) are left alone. Problems carry the line, for annotations on the file.
 */
export function checkRuleFile(file: string, source: string): RuleFileReport {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const lineAt = (path: (string | number)[]) => {
    const node = doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  if (doc.errors.length) {
    return {
      alerts: [],
      problems: doc.errors.map((e) => ({
        file,
        line: lineCounter.linePos(e.pos[0]).line,
        message: `invalid YAML: ${e.message.split('\n')[0]}`,
      })),
    };
  }
  const problems: RuleProblem[] = [];
  const alerts: AlertRule[] = [];
  const groups = isMap(doc.contents) ? doc.contents.get('groups', true) : undefined;
  if (!isSeq(groups)) {
    return { alerts, problems: [{ file, line: 1, message: 'has no `groups:` list: not a Prometheus rule file' }] };
  }
  const data = doc.toJS() as { groups: unknown[] };
  data.groups.forEach((group, gi) => {
    const g = (group ?? {}) as { name?: unknown; rules?: unknown };
    const groupName = text(g.name);
    if (!groupName) problems.push({ file, line: lineAt(['groups', gi]), message: `groups[${gi}] has no name` });
    if (!Array.isArray(g.rules)) {
      problems.push({
        file,
        line: lineAt(['groups', gi]),
        message: `group "${groupName ?? gi}" has no \`rules:\` list`,
      });
      return;
    }
    g.rules.forEach((rule, ri) => {
      const r = (rule ?? {}) as Record<string, unknown>;
      const line = lineAt(['groups', gi, 'rules', ri]);
      if (r.record !== undefined && r.alert === undefined) return;
      const name = text(r.alert);
      const where = `rule ${name ? `"${name}"` : `groups[${gi}].rules[${ri}]`}`;
      const missing: string[] = [];
      if (!name) missing.push('alert');
      const expr = text(r.expr);
      if (!expr) missing.push('expr');
      const forText = text(r.for);
      if (!forText) missing.push('for');
      const labels = (r.labels && typeof r.labels === 'object' ? r.labels : {}) as Record<string, unknown>;
      const annotations = (r.annotations && typeof r.annotations === 'object' ? r.annotations : {}) as Record<
        string,
        unknown
      >;
      if (!text(labels.severity)) missing.push('labels.severity');
      if (!text(annotations.summary)) missing.push('annotations.summary');
      if (missing.length) {
        problems.push({ file, line, message: `${where} lacks ${missing.join(', ')}` });
        return;
      }
      if (!PROM_DURATION.test(forText as string)) {
        problems.push({ file, line, message: `${where}: \`for: ${forText}\` is not a Prometheus duration such as 5m` });
        return;
      }
      alerts.push({
        file,
        line,
        group: groupName ?? '',
        alert: name as string,
        expr: expr as string,
        labels: Object.fromEntries(
          Object.entries(labels).flatMap(([k, v]) => (text(v) ? [[k, text(v) as string]] : [])),
        ),
      });
    });
  });
  return { alerts, problems };
}

/**
 * A service is covered when an alerting rule is about it: a `service`, `app`, `job` or `deployment` label
 * names it, or its expression mentions it as a whole word (`job="api-gateway"`, `deployment=~"event-service"`).
 */
export function coversService(rule: AlertRule, service: string): boolean {
  if (['service', 'app', 'job', 'deployment'].some((key) => rule.labels[key] === service)) return true;
  const escaped = service.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\w-])${escaped}([^\\w-]|$)`).test(rule.expr);
}
