import { describe, expect, it } from 'vitest';
import {
  DEDUPE_KEY_PATTERN,
  deriveDedupeKey,
  eventMarker,
  higherSeverity,
  type IncidentMarker,
  incidentMarker,
  readEvent,
  readIncidentMarker,
  withIncidentMarker,
} from '../../src/incident/marker.js';

const marker: IncidentMarker = {
  v: 1,
  key: 'checkout/payment-errors',
  severity: 'P1',
  occurrences: 2,
  level: 0,
  deadline: '2026-11-26T20:00:00Z',
  openedAt: '2026-11-26T19:00:00Z',
  lastSeenAt: '2026-11-26T19:30:00Z',
  nonce: 'n-1',
};

describe('hidden markers', () => {
  it('round-trips the incident marker inside a body and replaces it in place', () => {
    const body = `${incidentMarker(marker)}\n## Summary\n- [x] ticked by a person`;
    expect(readIncidentMarker(body)).toEqual(marker);
    const updated = withIncidentMarker(body, { ...marker, occurrences: 3 });
    expect(readIncidentMarker(updated)?.occurrences).toBe(3);
    expect(updated).toContain('- [x] ticked by a person');
    expect(updated.match(/runbook-incident /g)).toHaveLength(1);
  });

  it('ignores bodies without a marker and markers that are not ours', () => {
    expect(readIncidentMarker('plain issue')).toBeUndefined();
    expect(readIncidentMarker('<!-- runbook-incident {"v":2,"key":"x","severity":"P1"} -->')).toBeUndefined();
    expect(readIncidentMarker('<!-- runbook-incident {"v":1,"key":"x","severity":"P9"} -->')).toBeUndefined();
    expect(readIncidentMarker('<!-- runbook-incident {not json} -->')).toBeUndefined();
  });

  it('keeps a message with "-->" from ending the comment early', () => {
    const text = eventMarker({ type: 'status', at: 'x', status: 'identified', message: 'a --> b -- c', nonce: 'n' });
    expect(text.indexOf('-->')).toBe(text.length - 3);
    expect(readEvent(`before\n${text}\nafter`)).toMatchObject({ message: 'a --> b -- c' });
  });
});

describe('dedupe keys and severities', () => {
  it('derives a key from service and title', () => {
    expect(deriveDedupeKey('Payment errors spike!', 'Checkout')).toBe('checkout/payment-errors-spike');
    expect(deriveDedupeKey('Élan -- down', undefined)).toBe('elan-down');
    expect(deriveDedupeKey('!!!', undefined)).toBe('incident');
    expect(deriveDedupeKey('x'.repeat(300), 'svc').length).toBeLessThanOrEqual(100);
    expect(DEDUPE_KEY_PATTERN.test(deriveDedupeKey('A title with -- dashes', 'api'))).toBe(true);
  });

  it('allows readable keys only', () => {
    for (const ok of ['checkout/payment-errors', 'db:primary.lag', 'a']) expect(DEDUPE_KEY_PATTERN.test(ok)).toBe(true);
    for (const bad of ['', '-x', 'a--b', 'has space', 'x'.repeat(101), 'a-->b', 'ünïcode'])
      expect(DEDUPE_KEY_PATTERN.test(bad)).toBe(false);
  });

  it('P0 is the highest severity', () => {
    expect(higherSeverity('P2', 'P1')).toBe('P1');
    expect(higherSeverity('P0', 'P3')).toBe('P0');
    expect(higherSeverity('P3', 'P3')).toBe('P3');
  });
});
