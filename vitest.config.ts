import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: [
      'common/**/*.test.ts',
      'services/**/*.test.ts',
      'embedded/**/*.test.ts',
      'tests/**/*.test.ts',
      'tools/**/*.test.ts',
    ],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
})
