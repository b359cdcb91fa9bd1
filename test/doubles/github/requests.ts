/** Every request the double answered, in order: for assertions ("exactly one POST") and benchmarks. */

export interface LoggedRequest {
  seq: number;
  method: string;
  /** Concrete path, without the query. */
  path: string;
  query: Record<string, string>;
  /** OpenAPI path template, e.g. /repos/{owner}/{repo}/issues; undefined for an unknown route. */
  route: string | undefined;
  operationId: string | undefined;
  body: unknown;
  status: number;
  /** The fault applied, if any. */
  fault: string | undefined;
}

export interface RequestFilter {
  method?: string;
  operationId?: string;
  route?: string;
  path?: RegExp;
}

export class RequestLog {
  readonly entries: LoggedRequest[] = [];

  record(entry: Omit<LoggedRequest, 'seq'>): LoggedRequest {
    const logged = { ...entry, seq: this.entries.length + 1 };
    this.entries.push(logged);
    return logged;
  }

  /** A position to count from: `gh.requests.since(mark)`. */
  mark(): number {
    return this.entries.length;
  }

  since(mark: number): LoggedRequest[] {
    return this.entries.slice(mark);
  }

  filter(filter: RequestFilter = {}, from = 0): LoggedRequest[] {
    return this.entries
      .slice(from)
      .filter(
        (e) =>
          (!filter.method || e.method === filter.method.toUpperCase()) &&
          (!filter.operationId || e.operationId === filter.operationId) &&
          (!filter.route || e.route === filter.route) &&
          (!filter.path || filter.path.test(e.path)),
      );
  }

  count(filter: RequestFilter = {}, from = 0): number {
    return this.filter(filter, from).length;
  }

  /** `{ 'GET /repos/{owner}/{repo}/issues': 2, … }` since `from`. */
  byRoute(from = 0): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.entries.slice(from)) {
      const key = `${e.method} ${e.route ?? e.path}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  clear(): void {
    this.entries.length = 0;
  }
}
