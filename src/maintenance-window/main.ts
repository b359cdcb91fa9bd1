import { z } from 'zod/mini';
import { input } from '../core/inputs.js';
import { type RunOptions, runAction } from '../core/run.js';
import { operate } from './operate.js';

export const inputSchema = z.object({
  mode: input.choice(['check', 'announce'] as const),
  operation: input.choice(['maintenance', 'deploy'] as const),
  window: input.list(),
  windows: input.text(),
  at: input.instant(),
  'on-blocked': input.choice(['fail', 'skip', 'wait'] as const),
  'max-wait': input.duration({ max: 72 * 3_600_000 }),
  'override-reason': input.text({ maxLength: 1000 }),
  'planned-operations': input.lines(),
  'rollback-plan': input.text(),
  'github-token': input.secret(),
  'policy-file': input.text(),
});
export type Inputs = z.output<typeof inputSchema>;

export function run(options?: RunOptions) {
  return runAction(
    'maintenance-window',
    async (ctx) => {
      const inputs = ctx.inputs(inputSchema);
      await operate(ctx, inputs, await ctx.policy());
    },
    options,
  );
}
