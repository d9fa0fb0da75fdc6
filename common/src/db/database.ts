import { mkdirSync } from 'node:fs'
import type { Logger } from '../logger.ts'
import { prepareStatements } from './prepared-statements.ts'
import { resendTerminated } from './terminated-connections.ts'
import type { Db } from './types.ts'

export type Database = {
  db: Db
  kind: 'pglite' | 'postgres'
  /** Throws when the database cannot answer (for `/ready`). */
  ping(): Promise<void>
  /**
   * LISTENs on `channel`: `onNotify` for each notification (delivered after its transaction
   * commits), `onListen` each time the LISTEN is in place, at first and after a reconnection
   * (notifications sent meanwhile are lost). Resolves with the way to stop.
   */
  listen(channel: string, onNotify: () => void, onListen?: () => void): Promise<() => Promise<void>>
  close(): Promise<void>
}

export type DatabaseOptions = {
  /** postgres:// URL; without it an in-process PGlite is used. */
  url?: string
  /** PGlite's directory; without it PGlite lives in memory. */
  dataDir?: string
  poolSize?: number
  logger?: Logger
}

/**
 * A Drizzle database on postgres.js when a URL is given, else on PGlite (real PostgreSQL in
 * WebAssembly, in this process). Drivers load lazily so each mode pulls in only its own.
 */
export async function createDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) {
    const { default: postgres } = await import('postgres')
    const { drizzle } = await import('drizzle-orm/postgres-js')
    const client = postgres(options.url, {
      max: options.poolSize ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
    })
    const db = drizzle({ client: resendTerminated(prepareStatements(client)) }) as unknown as Db
    return {
      db,
      kind: 'postgres',
      ping: async () => {
        await client`select 1`
      },
      listen: async (channel, onNotify, onListen) => {
        const { unlisten } = await client.listen(channel, () => onNotify(), onListen)
        return unlisten
      },
      close: () => client.end({ timeout: 5 }),
    }
  }
  const { PGlite } = await import('@electric-sql/pglite')
  const { drizzle } = await import('drizzle-orm/pglite')
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true })
  const client = new PGlite(options.dataDir)
  await client.waitReady
  const db = drizzle({ client }) as unknown as Db
  return {
    db,
    kind: 'pglite',
    ping: async () => {
      await client.query('select 1')
    },
    listen: async (channel, onNotify, onListen) => {
      const unlisten = await client.listen(channel, () => onNotify())
      onListen?.()
      return () => unlisten()
    },
    close: () => client.close(),
  }
}
