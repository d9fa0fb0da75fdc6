import { createMiddleware } from 'hono/factory'
import type { Tx } from '../outbox/transaction.ts'
import { answerText, type IdempotencyOptions, readKeyedRequest, storable } from './idempotency.ts'
import type { AppEnv } from './service-app.ts'

/** The handler's transaction, opened by `idempotentTransaction`: `c.var.tx`. */
export type TransactionEnv = AppEnv & { Variables: { tx: Tx } }

/** Thrown out of the transaction to roll back what the handler wrote before it failed. */
const rollBack = new Error('roll back the request transaction')

/**
 * `idempotency`, with the key's claim and the stored answer in the handler's own transaction:
 * the request runs in one transaction opened by `transaction` (e.g. `inTransaction(deps, work)`)
 * and handed to the handler as `c.var.tx`; with an `Idempotency-Key` it first claims the key, and
 * stores the answer after the handler, before the commit. A winner's request is then one commit
 * instead of three, and a claimed key is never seen without its answer: a concurrent duplicate
 * waits on the key's row and replays the answer (or, when the first fails, runs). Same
 * guarantees as `idempotency` otherwise. A handler that throws has its writes rolled back; its
 * answer, unless a 5xx or a malformed request, is then stored with the key in one statement, and
 * if another request took the key meanwhile the retry gets that request's answer instead.
 */
export function idempotentTransaction(
  options: IdempotencyOptions & {
    transaction: (work: (tx: Tx) => Promise<void>) => Promise<void>
  },
) {
  const { db } = options
  // Named as `idempotency`'s: the OpenAPI test finds the routes that honour the key by this name.
  return createMiddleware<TransactionEnv>(async function idempotent(c, next) {
    const request = await readKeyedRequest(c, options)
    let taken = false
    try {
      await options.transaction(async (tx) => {
        if (request && !(await request.claim(tx.db))) {
          taken = true
          return
        }
        c.set('tx', tx)
        await next()
        if (c.error || c.res.status >= 500) throw rollBack
        if (request) await request.store(tx.db, c)
      })
    } catch (err) {
      if (err !== rollBack) throw err
      if (!request || !storable(c)) return
      const answer = { status: c.res.status, body: await answerText(c) }
      // The handler's answer was rendered already (onError): a replay replaces it.
      if (!(await request.claim(db, answer))) c.res = await request.replay(db, c)
      return
    }
    if (taken) return request?.replay(db, c)
  })
}
