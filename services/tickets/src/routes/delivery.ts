import {
  type AppEnv,
  inTransaction,
  issuesToItems,
  PayloadTooLargeError,
  RequestValidationError,
  requireAuth,
  UnsupportedMediaTypeError,
  userOf,
} from '@twtix/common'
import { validate } from '@twtix/common/openapi'
import type { Context } from 'hono'
import { Hono } from 'hono'
import * as v from 'valibot'
import { getDelivery } from '../delivery/get-delivery.ts'
import { type DeliveryInput, putDelivery } from '../delivery/put-delivery.ts'
import type { Deps } from '../deps.ts'
import { getDeliveryDoc, putDeliveryDoc } from './delivery-docs.ts'
import { DeliveryJsonBody, FILE_MAX_BYTES, FILE_TYPES, type FileType } from './delivery-schemas.ts'
import { examples } from './responses.ts'
import { TicketParams } from './schemas.ts'

/** The path the app gives a file-sized body limit (see app.ts). */
export const DELIVERY_PATH = /^\/api\/tickets\/[^/]+\/delivery$/

const jsonType = /^application\/([\w.-]+\+)?json$/

function mediaType(c: Context): string {
  return (c.req.header('Content-Type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
}

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((b, i) => bytes[i] === b)
}

/**
 * The body as a delivery: JSON `{code}` or `{url}`, or a PDF/PNG file as the raw body. The
 * app's body limit for this path has already stopped reading past FILE_MAX_BYTES.
 */
async function readDelivery(c: Context, ticketId: string): Promise<DeliveryInput> {
  const type = mediaType(c)
  if (jsonType.test(type)) {
    let body: unknown
    try {
      body = await c.req.json()
    } catch {
      throw new RequestValidationError([{ message: 'Malformed JSON in request body' }])
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw new RequestValidationError([{ message: 'Request body must be a JSON object' }])
    }
    const result = v.safeParse(DeliveryJsonBody, body)
    if (!result.success) throw new RequestValidationError(issuesToItems(result.issues))
    const { code, url } = result.output
    return code !== undefined
      ? { kind: 'code', value: code }
      : { kind: 'url', value: url as string }
  }
  if (!(type in FILE_TYPES)) {
    throw new UnsupportedMediaTypeError(
      'Send JSON {code} or {url}, or a file as application/pdf or image/png',
    )
  }
  const file = FILE_TYPES[type as FileType]
  const content = new Uint8Array(await c.req.arrayBuffer())
  if (content.byteLength > FILE_MAX_BYTES)
    throw new PayloadTooLargeError('The file must be at most 2 MB')
  if (content.byteLength === 0) throw new RequestValidationError([{ message: 'The file is empty' }])
  if (!startsWith(content, file.magic)) {
    throw new UnsupportedMediaTypeError(`The file is not a ${file.name}`)
  }
  return {
    kind: 'file',
    content,
    contentType: type,
    fileName: `ticket-${ticketId}.${file.extension}`,
  }
}

/** `/api/tickets/:id/delivery`: the seller's side of the delivery. */
export function deliveryRoutes(deps: Deps) {
  const routes = new Hono<AppEnv>()
  const id = { example: { id: examples.ticket.id } }

  routes.put(
    '/:id/delivery',
    putDeliveryDoc,
    requireAuth,
    validate('param', TicketParams, id),
    async (c) => {
      const ticketId = c.req.valid('param').id
      const delivery = await readDelivery(c, ticketId)
      const saved = await inTransaction(deps, (tx) =>
        putDelivery(deps, tx, { ticketId, userId: userOf(c).id, delivery }),
      )
      // The listing shows `delivery: 'ready'` now.
      deps.listing?.invalidate()
      return c.json(saved)
    },
  )

  routes.get(
    '/:id/delivery',
    getDeliveryDoc,
    requireAuth,
    validate('param', TicketParams, id),
    async (c) => {
      return c.json(
        await getDelivery(deps, { ticketId: c.req.valid('param').id, userId: userOf(c).id }),
      )
    },
  )

  return routes
}
