/**
 * Latency percentiles by the nearest-rank method: for n values sorted ascending, the p-th percentile
 * is the value at 1-based rank ⌈p × n / 100⌉. It is always one of the measured values (no
 * interpolation), so "p95 = 480 ms" means at least 95 % of the requests took 480 ms or less and
 * one request really took 480 ms. With fewer than 20 samples the p95 is the slowest request.
 */
export function percentile(sortedAscending: readonly number[], p: number): number | undefined {
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`);
  const n = sortedAscending.length;
  if (n === 0) return undefined;
  // p × n is an integer product for integer p, and an integral quotient of two integers is exact.
  const rank = Math.ceil((p * n) / 100);
  return sortedAscending[Math.max(rank, 1) - 1];
}

export interface LatencyStats {
  p50Ms: number | undefined;
  p95Ms: number | undefined;
  p99Ms: number | undefined;
  maxMs: number | undefined;
}

export function latencyStats(latenciesMs: readonly number[]): LatencyStats {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.at(-1),
  };
}
