import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/core/logger.js';
import { createOnce, impactOf, isAcknowledgement } from '../../src/incident/incidents.js';
import { testClock } from './harness.js';

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });

describe('createOnce', () => {
  it('after a lost response, returns what find() sees instead of creating again', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    let creates = 0;
    const result = await createOnce(
      { clock, log: memoryLogger() },
      'issue',
      async () => {
        creates++;
        throw httpError(502);
      },
      async () => 'found',
    );
    expect(result).toEqual({ value: 'found', recovered: true });
    expect(creates).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('retries transient failures (5xx, network) with a pause while nothing is found, then gives up', async () => {
    const clock = testClock('2026-11-26T10:00:00Z');
    let creates = 0;
    const failing = createOnce(
      { clock, log: memoryLogger() },
      'issue',
      async () => {
        creates++;
        throw creates === 1 ? new TypeError('fetch failed') : httpError(503);
      },
      async () => undefined,
    );
    await expect(failing).rejects.toMatchObject({ status: 503 });
    expect(creates).toBe(3);
    expect(clock.sleeps).toEqual([1000, 2000]);
  });

  it('does not retry or look up after a client error (422, 403, 404)', async () => {
    let finds = 0;
    const failing = createOnce(
      { clock: testClock('2026-11-26T10:00:00Z'), log: memoryLogger() },
      'issue',
      async () => {
        throw httpError(422);
      },
      async () => {
        finds++;
        return 'x';
      },
    );
    await expect(failing).rejects.toMatchObject({ status: 422 });
    expect(finds).toBe(0);
  });
});

describe('acknowledgements and impact', () => {
  it('a line that is the ack command, alone or followed by words', () => {
    expect(isAcknowledgement('/ack', '/ack')).toBe(true);
    expect(isAcknowledgement('on it\n  /ack looking now', '/ack')).toBe(true);
    expect(isAcknowledgement('please /ack this', '/ack')).toBe(false);
    expect(isAcknowledgement('/acknowledged', '/ack')).toBe(false);
    expect(isAcknowledgement(null, '/ack')).toBe(false);
  });

  it('reads the Impact section as people left it', () => {
    expect(impactOf('### Impact\nEU checkout down\n\n### Links\n- x')).toBe('EU checkout down');
    expect(impactOf('### Impact\n_Not assessed yet: edit this section._\n### Links')).toBeUndefined();
    expect(impactOf('no sections')).toBeUndefined();
  });
});
