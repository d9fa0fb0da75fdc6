import {
  type AppEnv,
  inTransaction,
  RequestValidationError,
  requireAdmin,
  userOf,
} from '@twtix/common'
import { validate } from '@twtix/common/openapi'
import { Hono } from 'hono'
import { resolveClaim } from '../commands/resolve-claim.ts'
import type { Deps } from '../deps.ts'
import { decodeCursor } from '../queries/cursor.ts'
import { listClaims } from '../queries/list-claims.ts'
import { listClaimsDoc, resolveClaimDoc } from './claim-docs.ts'
import { examples } from './responses.ts'
import { ClaimParams, DEFAULT_LIMIT, ListClaimsQuery, ResolveClaimBody } from './schemas.ts'

/** `/api/claims`: the admins' side of the buyer guarantee, served by orders. */
export function claimsRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()

  routes.get(
    '/',
    listClaimsDoc,
    requireAdmin,
    validate('query', ListClaimsQuery, { example: { status: 'open', limit: '20' } }),
    async (c) => {
      const query = c.req.valid('query')
      const limit = query.limit ?? DEFAULT_LIMIT
      const cursor = query.cursor === undefined ? undefined : decodeCursor(query.cursor)
      if (query.cursor !== undefined && !cursor) {
        throw new RequestValidationError([{ message: 'Cursor is invalid', field: 'cursor' }])
      }
      const page = await listClaims(deps, { status: query.status, limit, cursor })
      if (page.next) {
        const next = new URLSearchParams()
        if (query.status) next.set('status', query.status)
        next.set('limit', String(limit))
        next.set('cursor', page.next)
        c.header('Link', `<${c.req.path}?${next}>; rel="next"`)
      }
      return c.json(page.claims)
    },
  )

  routes.post(
    '/:id/resolve',
    resolveClaimDoc,
    requireAdmin,
    validate('param', ClaimParams, { example: { id: examples.claim.id } }),
    validate('json', ResolveClaimBody, {
      example: { outcome: 'refund', note: 'No e-ticket sent' },
    }),
    async (c) => {
      const input = {
        ...c.req.valid('json'),
        claimId: c.req.valid('param').id,
        adminId: userOf(c).id,
        correlationId: c.get('requestId'),
      }
      return c.json(await inTransaction(deps, (tx) => resolveClaim(deps, tx, input)), 200)
    },
  )

  return routes
}
