export { busContract } from './bus-contract.ts'
export { gate } from './gate.ts'
export { createTestAuth, TEST_AUDIENCE, TEST_ISSUER, type TestAuth } from './test-auth.ts'
export { createTestDatabase, eventually } from './test-database.ts'
