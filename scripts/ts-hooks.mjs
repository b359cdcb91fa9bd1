// Lets `node` run this repository's TypeScript sources directly (the demo, the benchmarks): imported for
// its effect, it registers in-thread module hooks that map the `./x.js` specifiers the sources use (as
// NodeNext requires) to the `./x.ts` files that exist, and turn TypeScript into JavaScript with Node's own
// stripTypeScriptTypes (transform mode: parameter properties and enums too).
// Use: `node --import ./scripts/ts-hooks.mjs file.ts`, or `import '../scripts/ts-hooks.mjs'` before
// dynamically importing a `.ts` file.
import { readFileSync } from 'node:fs';
import { registerHooks, stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';

registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.endsWith('.js') && context.parentURL?.endsWith('.ts'))
        return next(specifier.replace(/\.js$/, '.ts'), context);
      throw error;
    }
  },
  load(url, context, next) {
    if (!url.endsWith('.ts')) return next(url, context);
    const source = stripTypeScriptTypes(readFileSync(fileURLToPath(url), 'utf8'), {
      mode: 'transform',
      sourceUrl: url,
    });
    return { format: 'module', source, shortCircuit: true };
  },
});
