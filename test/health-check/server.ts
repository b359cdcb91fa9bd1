import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server with the behaviours a health check meets: healthy, slow, flaky, erroring,
 * hanging, redirecting. Counters are per path, so each test uses its own path (`/flaky/a?fail=2`).
 *   /ok                  200 {"status":"ok"}
 *   /status/<code>       that status
 *   /slow?ms=N           200 after N ms
 *   /flaky/<id>?fail=N   503 for the first N requests to that id, then 200
 *   /every/<id>?n=N      500 on every N-th request to that id, else 200
 *   /redirect            301 to /ok
 *   /hang                headers never sent
 */
export interface TestServer {
  origin: string;
  /** Highest number of requests in flight at once, since the last reset. */
  maxInFlight: number;
  requests: number;
  resetCounters(): void;
  close(): Promise<void>;
}

export async function startHealthServer(): Promise<TestServer> {
  const counters = new Map<string, number>();
  let inFlight = 0;
  const state = { maxInFlight: 0, requests: 0 };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const count = (counters.get(url.pathname) ?? 0) + 1;
    counters.set(url.pathname, count);
    state.requests++;
    inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    const send = (status: number, body = status < 400 ? '{"status":"ok"}' : '{"status":"failing"}') => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    };
    const [, route, arg] = url.pathname.split('/');
    switch (route) {
      case 'ok':
        return send(200);
      case 'status':
        return send(Number(arg));
      case 'slow':
        return setTimeout(() => send(200), Number(url.searchParams.get('ms') ?? 100));
      case 'flaky':
        return send(count <= Number(url.searchParams.get('fail') ?? 1) ? 503 : 200);
      case 'every':
        return send(count % Number(url.searchParams.get('n') ?? 10) === 0 ? 500 : 200);
      case 'redirect':
        res.writeHead(301, { location: '/ok' });
        return res.end('moved');
      case 'hang':
        return; // keep the socket open, answer nothing
      default:
        return send(404, 'not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    get maxInFlight() {
      return state.maxInFlight;
    },
    get requests() {
      return state.requests;
    },
    resetCounters() {
      state.maxInFlight = 0;
      state.requests = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL on 127.0.0.1 where nothing listens: a port bound, then released. */
export async function closedPortUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}/health`;
}

/** A clock whose sleeps return at once and move time forward; records every wait. */
export function manualClock(start = Date.parse('2026-11-26T12:00:00Z')) {
  let now = start;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => new Date(now),
    sleep: async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}
