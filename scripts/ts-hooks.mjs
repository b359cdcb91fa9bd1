// Lets `node` run this repository's TypeScript sources directly (scripts, benchmarks, the demo):
// Node 24 strips/transforms the types; this hook maps the `./x.js` specifiers the sources use
// (as NodeNext requires) to the `./x.ts` files that exist. Use: node --import ./scripts/ts-hooks.mjs file.ts
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
export async function resolve(specifier, context, next) {
  if (specifier.endsWith('.js') && (specifier.startsWith('.') || specifier.startsWith('/')) && context.parentURL?.startsWith('file:')) {
    const ts = new URL(specifier.slice(0, -3) + '.ts', context.parentURL);
    if (!existsSync(fileURLToPath(new URL(specifier, context.parentURL))) && existsSync(fileURLToPath(ts))) return next(ts.href, context);
  }
  return next(specifier, context);
}`),
);
