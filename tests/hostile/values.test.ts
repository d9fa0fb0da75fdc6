import { count, eq } from 'drizzle-orm'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { payments } from '../../services/payments/src/db/schema.ts'
import { tickets, outbox as ticketsOutbox } from '../../services/tickets/src/db/schema.ts'
import { extraFields, numericLiteral, oddText, RUNS } from './arbitraries.ts'
import { createMarketplace, type Marketplace, type User } from './marketplace.ts'
import { expectCleanError, fieldsOf } from './responses.ts'
import { expectUnchanged, snapshot } from './state.ts'

/**
 * Values at the edge of what the API takes: every price and title is either stored exactly as
 * sent or refused naming its field with nothing changed; fields the API does not take (owner,
 * status, version, amount...) are never applied.
 */

let market: Marketplace
let seller: User
let buyer: User
beforeAll(async () => {
  market = await createMarketplace()
  seller = await market.signUp('seller')
  buyer = await market.signUp('buyer')
})
afterAll(async () => {
  await market?.stop()
})

const isPrice = (n: unknown) =>
  typeof n === 'number' && Number.isInteger(n) && n >= 50 && n <= 9_999_999

/** What the title rules take, trimmed, or undefined when it must be refused. */
function acceptedTitle(title: string): string | undefined {
  const trimmed = title.trim()
  if (trimmed === '' || [...trimmed].length > 120) return undefined
  if (trimmed.includes('\u0000') || /[\ud800-\udfff]/u.test(trimmed)) return undefined
  return trimmed
}

/**
 * What creating a ticket writes: the tickets and their outbox rows. Cheaper than a snapshot at
 * rest, so these properties need not wait for each accepted ticket's events to settle; the
 * input suite checks refused titles and prices against every table.
 */
async function listing() {
  const [rows] = await market.db.select({ n: count() }).from(tickets)
  const [events] = await market.db.select({ n: count() }).from(ticketsOutbox)
  return { tickets: rows?.n, events: events?.n }
}

async function postTicket(raw: string) {
  return market.send('POST', '/api/tickets', {
    raw,
    token: seller.token,
    headers: { 'Content-Type': 'application/json' },
  })
}

describe('POST /api/tickets: prices', () => {
  it('stores exactly the whole yen from 50 to 9,999,999 and refuses every other number', async () => {
    await fc.assert(
      fc.asyncProperty(numericLiteral, async (literal) => {
        const before = await listing()
        const value = JSON.parse(literal) as number
        const reply = await postTicket(`{"title":"Tokyo Dome","price":${literal}}`)
        if (isPrice(value)) {
          expect(reply.status, `${literal}: ${reply.text}`).toBe(201)
          expect(reply.body.price).toBe(value)
          return
        }
        expectCleanError(reply, [400])
        expect(fieldsOf(reply), literal).toEqual(['price'])
        expect(await listing(), literal).toEqual(before)
      }),
      RUNS,
    )
  })
})

describe('POST /api/tickets: titles in any script', () => {
  it('stores a title exactly as sent (trimmed) or refuses it naming the title', async () => {
    const titles = fc.oneof(
      oddText({ minLength: 1, maxLength: 40 }),
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 130 }),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 130 }),
    )
    await fc.assert(
      fc.asyncProperty(titles, async (title) => {
        const before = await listing()
        const reply = await market.send('POST', '/api/tickets', {
          body: { title, price: 1000 },
          token: seller.token,
        })
        const expected = acceptedTitle(title)
        if (expected !== undefined) {
          expect(reply.status, reply.text).toBe(201)
          const read = await market.send('GET', `/api/tickets/${reply.body.id}`)
          expect(read.body.title).toBe(expected)
          return
        }
        expectCleanError(reply, [400])
        expect(fieldsOf(reply)).toEqual(['title'])
        expect(await listing(), JSON.stringify(title)).toEqual(before)
      }),
      RUNS,
    )
  })

  it('refuses a NUL in a title on edit too, leaving the ticket as it was', async () => {
    const ticket = await market.listTicket(seller)
    const before = await market.settle()
    const reply = await market.send('PUT', `/api/tickets/${ticket.id}`, {
      body: { title: 'Budokan\u0000' },
      token: seller.token,
    })
    expectCleanError(reply, [400])
    expect(reply.body.errors).toEqual([
      { message: 'title must not contain NUL characters', field: 'title' },
    ])
    expectUnchanged(before, await snapshot(market.db))
  })
})

describe('fields the API does not take are never applied', () => {
  it('a new ticket belongs to its seller, is available at version 0, whatever else is sent', async () => {
    const fields = ['title', 'price']
    await fc.assert(
      fc.asyncProperty(extraFields(fields), async (extra) => {
        const forged = {
          id: crypto.randomUUID(),
          userId: buyer.id,
          status: 'sold',
          orderId: crypto.randomUUID(),
          version: 42,
          currency: 'USD',
          createdAt: '2000-01-01T00:00:00.000Z',
        }
        const reply = await market.send('POST', '/api/tickets', {
          body: { ...extra, ...forged, title: 'Ryogoku Kokugikan', price: 4000 },
          token: seller.token,
        })
        expect(reply.status, reply.text).toBe(201)
        expect(reply.body).toMatchObject({
          userId: seller.id,
          status: 'available',
          orderId: null,
          version: 0,
          currency: 'JPY',
          title: 'Ryogoku Kokugikan',
          price: 4000,
        })
        expect(reply.body.id).not.toBe(forged.id)
        expect(reply.body.createdAt).not.toBe(forged.createdAt)
      }),
      { numRuns: 20 },
    )
  })

  it('an edit changes the title and price only', async () => {
    const ticket = await market.listTicket(seller)
    const reply = await market.send('PUT', `/api/tickets/${ticket.id}`, {
      body: {
        price: 4500,
        userId: buyer.id,
        status: 'sold',
        orderId: crypto.randomUUID(),
        version: 99,
      },
      token: seller.token,
    })
    expect(reply.status, reply.text).toBe(200)
    expect(reply.body).toMatchObject({
      userId: seller.id,
      status: 'available',
      orderId: null,
      version: ticket.version + 1,
      price: 4500,
    })
  })

  it('an order is the caller’s, just created, with the hold the service sets', async () => {
    const ticket = await market.listTicket(seller)
    await market.settle()
    const reply = await market.send('POST', '/api/orders', {
      body: {
        ticketId: ticket.id,
        userId: seller.id,
        status: 'complete',
        expiresAt: '2999-01-01T00:00:00.000Z',
        version: 7,
        ticket: { id: ticket.id, price: 1 },
      },
      token: buyer.token,
    })
    expect(reply.status, reply.text).toBe(201)
    expect(reply.body).toMatchObject({ userId: buyer.id, status: 'created', version: 0 })
    expect(reply.body.ticket.price).toBe(5000)
    expect(new Date(reply.body.expiresAt).getTime()).toBe(market.clock().getTime() + 900_000)
  })

  it('a payment charges the order’s total, never an amount the client sends', async () => {
    const { order } = await market.placeOrder(buyer, seller, 8000)
    const reply = await market.send('POST', '/api/payments', {
      body: {
        orderId: order.id,
        token: 'tok_visa',
        amount: 50,
        price: 50,
        total: 50,
        buyerFee: 0,
        status: 'refunded',
      },
      token: buyer.token,
    })
    expect(reply.status, reply.text).toBe(201)
    expect(reply.body.status).toBe('succeeded')
    const [row] = await market.db.select().from(payments).where(eq(payments.id, reply.body.id))
    // 8,000 and the default 5 % buyer fee, as orders fixed them.
    expect(row).toMatchObject({ amount: 8400, userId: buyer.id, status: 'succeeded' })
  })

  it('a new user gets an id of the service’s choosing', async () => {
    const id = crypto.randomUUID()
    const reply = await market.send('POST', '/api/users/signup', {
      body: { id, email: `chosen-${id.slice(0, 8)}@example.test`, password: 'long enough 1' },
    })
    expect(reply.status, reply.text).toBe(201)
    expect(reply.body.id).not.toBe(id)
  })
})

describe('POST /api/payments: card tokens', () => {
  it('declines any token that is not a test card with a 402, never a 500', async () => {
    const { order } = await market.placeOrder(buyer, seller)
    const tokens = fc.oneof(
      // Names every plain object answers to: once looked up as decline messages (a 500).
      fc.constantFrom('toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'),
      fc
        .string({ minLength: 1, maxLength: 40 })
        .filter((t) => t.trim() !== '' && !t.startsWith('tok_')),
      oddText({ minLength: 1, maxLength: 8 }).filter((t) => t.trim() !== ''),
    )
    await fc.assert(
      fc.asyncProperty(tokens, async (token) => {
        const reply = await market.send('POST', '/api/payments', {
          body: { orderId: order.id, token },
          token: buyer.token,
        })
        const unstorable = token.includes('\u0000') || /[\ud800-\udfff]/u.test(token)
        if (unstorable) return expectCleanError(reply, [400])
        expectCleanError(reply, [402])
        expect(reply.body.errors).toEqual([{ message: 'Your card was declined.' }])
      }),
      { numRuns: 30 },
    )
  })
})

describe('Idempotency-Key on a refused request', () => {
  it('keeps nothing, so the corrected request runs under the same key', async () => {
    const ticket = await market.listTicket(seller)
    const before = await market.settle()
    const headers = { 'Idempotency-Key': crypto.randomUUID() }
    const bad = await market.send('POST', '/api/orders', {
      body: { ticketId: 'not-an-id' },
      token: buyer.token,
      headers,
    })
    expectCleanError(bad, [400])
    expectUnchanged(before, await snapshot(market.db))
    const good = await market.send('POST', '/api/orders', {
      body: { ticketId: ticket.id },
      token: buyer.token,
      headers,
    })
    expect(good.status, good.text).toBe(201)
  })
})

describe('an unusable Idempotency-Key', () => {
  it('is refused before anything runs', async () => {
    const { order } = await market.placeOrder(buyer, seller)
    const ticket = await market.listTicket(seller)
    const before = await market.settle()
    const keys = fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[\x21-\x7e]{256,400}$/),
      fc.stringMatching(/^[\x21-\x7e]{1,10} [\x21-\x7e]{1,10}$/),
      // Fetch trims surrounding whitespace from header values; inside, it stays.
      fc.constantFrom('a\tkey', 'key\x7f'),
    )
    const calls = [
      { path: '/api/orders', body: { ticketId: ticket.id } },
      { path: '/api/payments', body: { orderId: order.id, token: 'tok_visa' } },
    ]
    await fc.assert(
      fc.asyncProperty(keys, fc.constantFrom(...calls), async (key, call) => {
        const reply = await market.send('POST', call.path, {
          body: call.body,
          token: buyer.token,
          headers: { 'Idempotency-Key': key },
        })
        expectCleanError(reply, [400])
        expectUnchanged(before, await snapshot(market.db), JSON.stringify(key))
      }),
      { numRuns: 30 },
    )
  })
})
