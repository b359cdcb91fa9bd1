import { describe, expect, it } from 'vitest';
import { condition, type ExpressionContext, evaluate, interpolate } from '../../src/local/expressions.js';

const ctx = (failed = false): ExpressionContext => ({
  contexts: {
    inputs: { migrate: true, disruptive: false, environment: 'production', 'smoke-command': '' },
    steps: { 'dry-run': { outputs: { pending: '2' }, outcome: 'success' } },
    needs: { deploy: { result: 'failure', outputs: { result: 'rollback-failed' } } },
    github: { repository: 'acme/shop' },
  },
  status: { failed, cancelled: false },
});

describe('expressions', () => {
  it('reads contexts, hyphenated names and index access', () => {
    expect(evaluate('steps.dry-run.outputs.pending', ctx())).toBe('2');
    expect(evaluate("steps['dry-run'].outputs['pending']", ctx())).toBe('2');
    expect(evaluate('steps.missing.outputs.x', ctx())).toBeUndefined();
  });

  it('returns operands from && and || as GitHub does (the ternary idiom)', () => {
    expect(evaluate("inputs.disruptive && 'maintenance' || 'deploy'", ctx())).toBe('deploy');
    expect(evaluate("inputs.migrate && 'maintenance' || 'deploy'", ctx())).toBe('maintenance');
    expect(evaluate("needs.deploy.outputs.result == 'rollback-failed' && 'P0' || 'P1'", ctx())).toBe('P0');
  });

  it('compares strings case-insensitively and coerces like GitHub', () => {
    expect(evaluate("github.repository == 'ACME/shop'", ctx())).toBe(true);
    expect(evaluate("inputs.smoke-command != ''", ctx())).toBe(false);
    expect(evaluate("'2' == 2", ctx())).toBe(true);
    expect(evaluate('!(inputs.migrate)', ctx())).toBe(false);
    expect(evaluate("format('{0}-{1}', 'a', 'b')", ctx())).toBe('a-b');
    expect(evaluate("contains('hello', 'ELL')", ctx())).toBe(true);
  });

  it('interpolates templates, keeping the type of a whole expression', () => {
    expect(interpolate('deploy-${{ inputs.environment }}', ctx())).toBe('deploy-production');
    expect(interpolate('${{ inputs.migrate }}', ctx())).toBe(true);
    expect(interpolate("x ${{ 'it''s' }}", ctx())).toBe("x it's");
  });

  it('applies the implicit success() to conditions without a status function', () => {
    expect(condition(undefined, ctx())).toBe(true);
    expect(condition(undefined, ctx(true))).toBe(false);
    expect(condition('inputs.migrate', ctx(true))).toBe(false);
    expect(condition("failure() && needs.deploy.result == 'failure'", ctx(true))).toBe(true);
    expect(condition('${{ always() }}', ctx(true))).toBe(true);
  });

  it('refuses what it does not implement instead of guessing', () => {
    expect(() => evaluate('hashFiles("x")', ctx())).toThrow();
    expect(() => evaluate('vars.X', ctx())).toThrow(/unknown context "vars"/);
    expect(() => evaluate('inputs.migrate ==', ctx())).toThrow();
  });
});
