export { createDatabase, type Database, type DatabaseOptions } from './database.ts'
export { migrateService } from './migrate.ts'
export { type Db, rowsOf } from './types.ts'
