import type { Sql } from 'postgres'

/**
 * The server ended the connection (a restart, `pg_terminate_backend`) or was starting or stopping:
 * such an error aborts what the statement did, so sending it again is safe.
 */
const TERMINATED = new Set(['57P01', '57P02', '57P03'])
const terminated = (err: unknown) => TERMINATED.has((err as { code?: string })?.code ?? '')

const again = <T>(run: () => Promise<T>) =>
  run().catch((err: unknown) => (terminated(err) ? run() : Promise.reject(err)))

/**
 * postgres.js 3.4.8 and later keep the "terminating connection" error of a connection the server
 * ended while a query ran, and hand it to the first query that connection runs once it has
 * reconnected: a query that never reached the server fails, however long after the restart (the
 * fault suite met it 40 s after one). This client sends such a query once more; a transaction
 * is begun again only if its callback had not started.
 */
export function resendTerminated(client: Sql): Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (...args: Parameters<Sql['unsafe']>) => {
          const query = () => target.unsafe(...args)
          // drizzle awaits the query or asks for its rows as arrays: `.values()`.
          return {
            // biome-ignore lint/suspicious/noThenProperty: a thenable, as postgres.js queries are
            then: (ok?: (v: unknown) => unknown, ko?: (e: unknown) => unknown) =>
              again(() => query()).then(ok, ko),
            values: () => again(() => query().values()),
          }
        }
      }
      if (prop === 'begin') {
        return (...args: unknown[]) => {
          const callback = args.at(-1) as (sql: unknown) => unknown
          let started = false
          const run = () =>
            (target.begin as (...a: unknown[]) => Promise<unknown>)(
              ...args.slice(0, -1),
              (sql: unknown) => {
                started = true
                return callback(sql)
              },
            )
          return run().catch((err: unknown) =>
            !started && terminated(err) ? run() : Promise.reject(err),
          )
        }
      }
      return Reflect.get(target, prop, receiver)
    },
  })
}
