import type { Db } from '@twtix/common'
import { drizzle } from 'drizzle-orm/postgres-js'
import postgres from 'postgres'
import { type ServiceDbs, serviceNames } from './snapshot.ts'

export type OpenDbs = { dbs: ServiceDbs; close(): Promise<void> }

function readOnly(url: string) {
  // Every transaction of these sessions is read-only: the checker cannot change what it checks.
  const client = postgres(url, {
    max: 2,
    onnotice: () => {},
    connect_timeout: 10,
    connection: { default_transaction_read_only: true, application_name: 'twtix-invariants' },
  })
  return { client, db: drizzle({ client }) as unknown as Db }
}

/**
 * The services' databases, read-only: the single database holding every schema (`databaseUrl`,
 * the embedded start on PostgreSQL), or `<dbPrefix><service>` (`twtix_<service>`) on the server
 * of `pgUrl` (the stack). `{service}` in `pgUrl` stands for each service's name, for a server per
 * service (Compose: `postgres://postgres:<password>@{service}-db:5432/postgres`).
 */
export function openServiceDbs(options: {
  pgUrl: string
  databaseUrl?: string
  dbPrefix?: string
}): OpenDbs {
  if (options.databaseUrl) {
    const { client, db } = readOnly(options.databaseUrl)
    const dbs = Object.fromEntries(serviceNames.map((s) => [s, db])) as ServiceDbs
    return { dbs, close: () => client.end({ timeout: 5 }) }
  }
  const opened = serviceNames.map((service) => {
    const url = new URL(options.pgUrl.replaceAll('{service}', service))
    url.pathname = `/${options.dbPrefix ?? 'twtix_'}${service}`
    return { service, ...readOnly(url.toString()) }
  })
  return {
    dbs: Object.fromEntries(opened.map((o) => [o.service, o.db])) as ServiceDbs,
    close: async () => {
      await Promise.all(opened.map((o) => o.client.end({ timeout: 5 })))
    },
  }
}
