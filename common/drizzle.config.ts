import { defineConfig } from 'drizzle-kit'

// Only for common's own tests: the outbox, processed-events and idempotency tables in a schema.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/testing/fixture-schema.ts',
  out: '../drizzle/common_fixture',
  schemaFilter: ['common_fixture'],
})
