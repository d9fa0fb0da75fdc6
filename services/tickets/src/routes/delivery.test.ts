import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { deliveryDeadlines, ticketDeliveries } from '../db/schema.ts'
import { onOrderCompleted } from '../events/on-order-completed.ts'
import { onOrderCreated } from '../events/on-order-created.ts'
import {
  applyEvent,
  eventTicket,
  jsonRequest,
  listedTicket,
  newEvent,
  orderCompleted,
  orderCreated,
  setupTickets,
  ticketRow,
} from '../test-support.ts'
import { FILE_MAX_BYTES } from './delivery-schemas.ts'

const { app, auth, db, deps, clock } = await setupTickets()

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
function pngBytes(size = 64): Uint8Array {
  const bytes = new Uint8Array(size)
  bytes.set(PNG)
  for (let i = PNG.length; i < size; i++) bytes[i] = i % 251
  return bytes
}
function pdfBytes(): Uint8Array {
  return new TextEncoder().encode('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n')
}

function putJson(id: string, body: unknown, headers?: Record<string, string>) {
  return app.request(`/api/tickets/${id}/delivery`, jsonRequest('PUT', body, headers))
}

function putFile(id: string, bytes: Uint8Array, type: string, headers?: Record<string, string>) {
  return app.request(`/api/tickets/${id}/delivery`, {
    method: 'PUT',
    headers: { 'Content-Type': type, ...headers },
    body: bytes as Uint8Array<ArrayBuffer>,
  })
}

async function ownTicket() {
  const seller = await auth.user()
  const ticket = await listedTicket(deps, seller.user.id)
  return { ticket, headers: seller.headers }
}

async function storedDelivery(ticketId: string) {
  const [row] = await db
    .select()
    .from(ticketDeliveries)
    .where(eq(ticketDeliveries.ticketId, ticketId))
  return row
}

describe('PUT /api/tickets/:id/delivery', () => {
  it('stores a code; the ticket shows delivery ready but never the code', async () => {
    const { ticket, headers } = await ownTicket()
    expect(ticket.delivery).toBe('pending')
    const res = await putJson(ticket.id, { code: '  TRANSFER-8F3K  ' }, headers)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      ticketId: ticket.id,
      kind: 'code',
      value: 'TRANSFER-8F3K',
      updatedAt: clock().toISOString(),
    })
    const shown = await app.request(`/api/tickets/${ticket.id}`)
    const text = await shown.text()
    expect(JSON.parse(text)).toMatchObject({ delivery: 'ready', version: 0 })
    expect(text).not.toContain('TRANSFER-8F3K')
    const listed = await (await app.request('/api/tickets?limit=100')).text()
    expect(listed).not.toContain('TRANSFER-8F3K')
    expect(JSON.parse(listed).find((t: { id: string }) => t.id === ticket.id)?.delivery).toBe(
      'ready',
    )
  })

  it('stores an https URL and replaces a code with it; the seller reads it back', async () => {
    const { ticket, headers } = await ownTicket()
    await putJson(ticket.id, { code: 'OLD' }, headers)
    const url = 'https://tickets.example.jp/transfer/abc?x=1'
    expect((await putJson(ticket.id, { url }, headers)).status).toBe(200)
    const got = await app.request(`/api/tickets/${ticket.id}/delivery`, { headers })
    expect(got.status).toBe(200)
    expect(await got.json()).toMatchObject({ kind: 'url', value: url })
    expect(await storedDelivery(ticket.id)).toMatchObject({
      kind: 'url',
      value: url,
      content: null,
    })
  })

  it('stores a PNG and a PDF as bytes, described (not sent back) to the seller', async () => {
    const { ticket, headers } = await ownTicket()
    const png = pngBytes(1000)
    const res = await putFile(ticket.id, png, 'image/png', headers)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({
      kind: 'file',
      contentType: 'image/png',
      size: 1000,
      fileName: `ticket-${ticket.id}.png`,
    })
    expect(Array.from((await storedDelivery(ticket.id))?.content ?? [])).toEqual(Array.from(png))
    const pdf = pdfBytes()
    expect((await putFile(ticket.id, pdf, 'application/pdf; charset=binary', headers)).status).toBe(
      200,
    )
    const got = await app.request(`/api/tickets/${ticket.id}/delivery`, { headers })
    expect(await got.json()).toMatchObject({
      kind: 'file',
      contentType: 'application/pdf',
      size: pdf.byteLength,
    })
  })

  it('takes a file of exactly 2 MB and refuses one byte more with 413, nothing stored', async () => {
    const { ticket, headers } = await ownTicket()
    expect((await putFile(ticket.id, pngBytes(FILE_MAX_BYTES), 'image/png', headers)).status).toBe(
      200,
    )
    const other = await ownTicket()
    const res = await putFile(
      other.ticket.id,
      pngBytes(FILE_MAX_BYTES + 1),
      'image/png',
      other.headers,
    )
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ errors: [{ message: 'The file must be at most 2 MB' }] })
    expect(await storedDelivery(other.ticket.id)).toBeUndefined()
  })

  it('keeps the usual 64 KiB limit for a JSON body on this path', async () => {
    const { ticket, headers } = await ownTicket()
    const res = await putJson(ticket.id, { code: 'OK', pad: 'x'.repeat(70_000) }, headers)
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body is too large' }] })
    expect(await storedDelivery(ticket.id)).toBeUndefined()
  })

  it('stops reading a body without a length once it passes 2 MB (413)', async () => {
    const { ticket, headers } = await ownTicket()
    let sent = 0
    const chunk = pngBytes(64 * 1024)
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        // Endless: only a limit enforced while reading ends this request.
        sent += chunk.byteLength
        controller.enqueue(chunk)
      },
    })
    const res = await app.request(`/api/tickets/${ticket.id}/delivery`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/png', ...headers },
      body,
      duplex: 'half',
    } as RequestInit)
    expect(res.status).toBe(413)
    expect(sent).toBeLessThan(FILE_MAX_BYTES + 4 * chunk.byteLength)
    expect(await storedDelivery(ticket.id)).toBeUndefined()
  })

  it('refuses other types (415), bytes that do not match the type (415) and an empty file', async () => {
    const { ticket, headers } = await ownTicket()
    const gif = new TextEncoder().encode('GIF89a....')
    expect((await putFile(ticket.id, gif, 'image/gif', headers)).status).toBe(415)
    expect((await putFile(ticket.id, gif, 'text/plain', headers)).status).toBe(415)
    const fake = await putFile(ticket.id, pdfBytes(), 'image/png', headers)
    expect(fake.status).toBe(415)
    expect(await fake.json()).toEqual({ errors: [{ message: 'The file is not a PNG image' }] })
    expect((await putFile(ticket.id, new Uint8Array(0), 'application/pdf', headers)).status).toBe(
      400,
    )
    expect(await storedDelivery(ticket.id)).toBeUndefined()
    expect((await ticketRow(db, ticket.id))?.hasDelivery).toBe(false)
  })

  it.each([
    ['nothing', {}, 'Provide either a code or a url'],
    ['both', { code: 'A', url: 'https://a.example' }, 'Provide either a code or a url'],
    ['a blank code', { code: '   ' }, 'Code must not be blank'],
    ['a long code', { code: 'x'.repeat(501) }, 'Code must be at most 500 characters'],
    ['a number', { code: 12 }, 'Code must be a string'],
    ['a NUL', { code: 'a\u0000b' }, 'Code must be valid text without NUL characters'],
    ['http', { url: 'http://tickets.example.jp/a' }, 'URL must start with https://'],
    ['javascript:', { url: 'javascript:alert(1)' }, 'URL must start with https://'],
    [
      'a long URL',
      { url: `https://a.example/${'a'.repeat(2000)}` },
      'URL must be at most 2000 characters',
    ],
    ['not a URL', { url: 'not a url' }, 'URL must be a valid URL'],
  ])('refuses %s with 400 and changes nothing', async (_, body, message) => {
    const { ticket, headers } = await ownTicket()
    const res = await putJson(ticket.id, body, headers)
    expect(res.status).toBe(400)
    expect((await res.json()).errors[0].message).toBe(message)
    expect(await storedDelivery(ticket.id)).toBeUndefined()
  })

  it('lets only the seller add or read it: 401, 403, 404', async () => {
    const { ticket, headers } = await ownTicket()
    const other = await auth.user()
    expect((await putJson(ticket.id, { code: 'X' })).status).toBe(401)
    const forbidden = await putJson(ticket.id, { code: 'X' }, other.headers)
    expect(forbidden.status).toBe(403)
    expect(await forbidden.json()).toEqual({ errors: [{ message: 'You do not own this ticket' }] })
    expect((await putJson(crypto.randomUUID(), { code: 'X' }, headers)).status).toBe(404)
    expect(await storedDelivery(ticket.id)).toBeUndefined()
    await putJson(ticket.id, { code: 'SECRET' }, headers)
    const read = await app.request(`/api/tickets/${ticket.id}/delivery`, { headers: other.headers })
    expect(read.status).toBe(403)
    expect(await read.text()).not.toContain('SECRET')
    expect((await app.request(`/api/tickets/${ticket.id}/delivery`)).status).toBe(401)
  })

  it('says pending to the seller before there is one', async () => {
    const { ticket, headers } = await ownTicket()
    const res = await app.request(`/api/tickets/${ticket.id}/delivery`, { headers })
    expect(res.status).toBe(404)
    expect((await res.json()).errors[0].message).toContain('delivery pending')
  })

  it('can no longer change once the event has started', async () => {
    const seller = await auth.user()
    const event = await newEvent(deps)
    const ticket = await eventTicket(deps, event.id, { userId: seller.user.id })
    expect((await putJson(ticket.id, { code: 'EARLY' }, seller.headers)).status).toBe(200)
    clock.advance(25 * 60 * 60 * 1000)
    const res = await putJson(ticket.id, { code: 'LATE' }, seller.headers)
    expect(res.status).toBe(400)
    expect((await storedDelivery(ticket.id))?.value).toBe('EARLY')
  })

  it('meets a pending deadline: the row is deleted', async () => {
    const seller = await auth.user()
    const event = await newEvent(deps, { startsAt: new Date(clock().getTime() + 72 * 3600_000) })
    const ticket = await eventTicket(deps, event.id, { userId: seller.user.id })
    const orderId = crypto.randomUUID()
    await applyEvent(db, onOrderCreated(deps), orderCreated(ticket.id, orderId))
    await applyEvent(db, onOrderCompleted(deps), orderCompleted(ticket.id, orderId))
    const due = () =>
      db.select().from(deliveryDeadlines).where(eq(deliveryDeadlines.orderId, orderId))
    expect(await due()).toHaveLength(1)
    expect((await putJson(ticket.id, { code: 'ON TIME' }, seller.headers)).status).toBe(200)
    expect(await due()).toHaveLength(0)
  })
})
