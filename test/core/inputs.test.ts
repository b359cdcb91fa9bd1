import { describe, expect, it } from 'vitest';
import { z } from 'zod/mini';
import { ConfigurationError } from '../../src/core/errors.js';
import { getInputs, input, inputEnvName, required } from '../../src/core/inputs.js';
import { redact } from '../../src/core/secrets.js';

const schema = z.object({
  urls: required(input.list({ min: 1, item: (u) => (u.startsWith('http') ? undefined : 'is not a URL') })),
  timeout: input.duration({ max: 7_200_000 }),
  retries: input.integer({ min: 0, max: 10 }),
  mode: input.choice(['enforce', 'report'] as const),
  dry: input.boolean(),
  at: input.instant(),
  endpoint: input.url(),
  token: input.secret(),
  'database-url': input.secretUrl(['postgres:', 'postgresql:']),
});

const env = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [inputEnvName(k), v]));

function problems(values: Record<string, string>): string {
  try {
    getInputs(schema, env(values));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigurationError');
}

describe('inputs', () => {
  it('uses the runner naming rule: spaces to underscores, upper case, dashes kept', () => {
    expect(inputEnvName('policy-file')).toBe('INPUT_POLICY-FILE');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });

  it('parses every kind into a typed value', () => {
    const parsed = getInputs(
      schema,
      env({
        urls: 'https://a.example/health\nhttps://b.example/health, https://c.example/health',
        timeout: '1h30m',
        retries: '3',
        mode: 'report',
        dry: 'TRUE',
        at: '2026-11-29T02:30:00+01:00',
        endpoint: 'https://api.example.com/x',
        token: 'tok_123456',
        'database-url': 'postgres://u:pw-secret@db:5432/app',
      }),
    );
    expect(parsed.urls).toEqual(['https://a.example/health', 'https://b.example/health', 'https://c.example/health']);
    expect(parsed.timeout).toBe(5_400_000);
    expect(parsed.retries).toBe(3);
    expect(parsed.mode).toBe('report');
    expect(parsed.dry).toBe(true);
    expect(parsed.at?.toISOString()).toBe('2026-11-29T01:30:00.000Z');
    expect(parsed.endpoint?.host).toBe('api.example.com');
    expect(parsed['database-url']?.hostname).toBe('db');
    expect(redact('password pw-secret and token tok_123456')).toBe('password *** and token ***');
  });

  it('treats empty as not given', () => {
    const parsed = getInputs(schema, env({ urls: 'https://a' }));
    expect(parsed.timeout).toBeUndefined();
    expect(parsed.dry).toBeUndefined();
  });

  it('gathers every problem into one error that names the input, the value and what is allowed', () => {
    const message = problems({
      timeout: '10x',
      retries: '3.5',
      mode: 'yolo',
      dry: 'yes',
      at: '2026-11-29 02:30',
      endpoint: 'ftp://x',
    });
    expect(message).toContain('input "urls": is required');
    expect(message).toContain('input "timeout" (got "10x"): expected a duration such as');
    expect(message).toContain('input "retries" (got "3.5"): expected a whole number');
    expect(message).toContain('input "mode" (got "yolo"): expected one of enforce, report');
    expect(message).toContain('input "dry" (got "yes"): expected true or false');
    expect(message).toContain('input "at" (got "2026-11-29 02:30"): expected an ISO 8601 instant with a time zone');
    expect(message).toContain('input "endpoint" (got "ftp://x"): expected a URL with scheme https: or http:');
  });

  it('checks ranges and list entries', () => {
    const message = problems({ urls: 'https://ok, nope', timeout: '3h', retries: '11' });
    expect(message).toContain('"nope" is not a URL');
    expect(message).toContain('input "timeout" (got "3h"): must be at most 2h');
    expect(message).toContain('must be at most 10');
    expect(problems({ urls: 'https://ok', timeout: '0s' })).toContain('must be longer than zero');
  });

  it('never shows a secret it was given, even when the secret itself is invalid', () => {
    const message = problems({ urls: 'https://ok', 'database-url': 'mysql://admin:hunter2-pass@db/app' });
    expect(message).toContain('input "database-url"');
    expect(message).not.toContain('hunter2-pass');
  });
});
