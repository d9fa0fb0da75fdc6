import type { Sql, UnsafeQueryOptions } from 'postgres'

/**
 * A postgres.js client on which every statement with parameters is a named prepared statement,
 * in a transaction (and its savepoints) too.
 *
 * drizzle sends its statements through `unsafe`, which postgres.js runs unnamed: it sends Parse
 * and Describe, waits for the parameter types, then sends Bind and Execute, so each statement
 * costs two round trips and the server parses and plans it every time. Named, the first run on
 * a connection does the same and postgres.js keeps the statement and its types; every later run
 * on that connection is Bind and Execute, one round trip, with no parsing. The statements a
 * connection keeps go with it (postgres.js replaces connections after 30–60 min), and postgres.js
 * prepares a statement again when the server dropped or invalidated it (a migration).
 * Statements without parameters keep the simple protocol.
 */
export function prepareStatements(client: Sql): Sql {
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === 'unsafe') {
        return (
          query: string,
          params?: Parameters<Sql['unsafe']>[1],
          options?: UnsafeQueryOptions,
        ) => target.unsafe(query, params, { ...options, prepare: true })
      }
      // The client a transaction or a savepoint hands its callback is another one: wrapped too.
      if (prop === 'begin' || prop === 'savepoint') {
        const open = Reflect.get(target, prop, receiver) as (...args: unknown[]) => unknown
        return (...args: unknown[]) => {
          const callback = args.at(-1) as (sql: Sql) => unknown
          return open.call(target, ...args.slice(0, -1), (sql: Sql) =>
            callback(prepareStatements(sql)),
          )
        }
      }
      return Reflect.get(target, prop, receiver)
    },
  })
}
