import {
  type AppEnv,
  RequestValidationError,
  requireAdmin,
  requireAuth,
  userOf,
} from '@twtix/common'
import { validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import { completeOfflineOnboarding, startOnboarding } from '../commands/seller-account.ts'
import type { Deps } from '../deps.ts'
import { decodeCursor } from '../queries/cursor.ts'
import { listPayouts, type PayoutFilter } from '../queries/list-payouts.ts'
import {
  allPayoutsDoc,
  listPayoutsDoc,
  offlineOnboardingDoc,
  startOnboardingDoc,
} from './payout-docs.ts'
import {
  AllPayoutsQuery,
  DEFAULT_LIMIT,
  OfflineOnboardingQuery,
  PayoutsQuery,
} from './payout-schemas.ts'

type PageQuery = { limit?: number; cursor?: string }

function cursorOf(query: PageQuery) {
  if (query.cursor === undefined) return undefined
  const cursor = decodeCursor(query.cursor)
  if (!cursor) throw new RequestValidationError([{ message: 'Cursor is invalid', field: 'cursor' }])
  return cursor
}

function linkNext(path: string, params: Record<string, string | undefined>) {
  const next = new URLSearchParams()
  for (const [key, value] of Object.entries(params)) if (value !== undefined) next.set(key, value)
  return `<${path}?${next}>; rel="next"`
}

/** `/api/payouts`: served by payments, which holds the money until the seller is paid. */
export function payoutsRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()

  routes.post('/account', startOnboardingDoc, requireAuth, async (c) => {
    return c.json(await startOnboarding(deps, userOf(c).id), 200)
  })

  routes.get(
    '/account/offline-onboarding',
    offlineOnboardingDoc,
    requireAuth,
    validate('query', OfflineOnboardingQuery, { example: { account: 'acct_offline_1' } }),
    async (c) => {
      const { account } = c.req.valid('query')
      const done = await completeOfflineOnboarding(deps, userOf(c).id, account)
      const { url } = await deps.gateway.accountLink({
        accountId: account,
        refreshUrl: deps.config.PAYOUTS_RETURN_URL,
        returnUrl: deps.config.PAYOUTS_RETURN_URL,
      })
      return c.json({ ...done, url }, 200)
    },
  )

  /** One page, and the `Link` to the next when there is one. */
  async function page(path: string, filter: PayoutFilter, query: PageQuery) {
    const limit = query.limit ?? DEFAULT_LIMIT
    const result = await listPayouts(deps.db, filter, limit, cursorOf(query))
    const params = { status: filter.status, limit: String(limit), cursor: result.next }
    return { payouts: result.payouts, link: result.next && linkNext(path, params) }
  }

  routes.get(
    '/',
    listPayoutsDoc,
    requireAuth,
    validate('query', PayoutsQuery, { example: { limit: '20' } }),
    async (c) => {
      const { payouts, link } = await page(
        c.req.path,
        { sellerId: userOf(c).id },
        c.req.valid('query'),
      )
      if (link) c.header('Link', link)
      return c.json(payouts, 200)
    },
  )

  routes.get(
    '/all',
    allPayoutsDoc,
    requireAdmin,
    validate('query', AllPayoutsQuery, { example: { status: 'blocked', limit: '20' } }),
    async (c) => {
      const query = c.req.valid('query')
      const { payouts, link } = await page(c.req.path, { status: query.status }, query)
      if (link) c.header('Link', link)
      return c.json(payouts, 200)
    },
  )

  return routes
}
