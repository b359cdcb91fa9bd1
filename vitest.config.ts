import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    server: {
      deps: {
        // It imports its JSON schemas without import attributes, which only a bundler accepts.
        inline: [/@actions\/workflow-parser/],
      },
    },
  },
});
