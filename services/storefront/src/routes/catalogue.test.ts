import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf, type Visitor, visitor } from '../test-support.ts'
import { nextCursor, PAGE_SIZE } from './catalogue.tsx'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

const uniqueTitle = (name: string) => `${name} ${crypto.randomUUID().slice(0, 8)}`

async function seller() {
  const person = visitor(shop)
  await person.signUp('seller')
  return person
}

/** Buys through the ticket page once the orders service knows the ticket; the order page. */
async function buy(buyer: Visitor, ticketId: string) {
  return eventually(async () => {
    const page = await buyer.post(`/tickets/${ticketId}/buy`, {
      idempotencyKey: crypto.randomUUID(),
    })
    return page.path.startsWith('/orders/') ? page : undefined
  })
}

describe('the index', () => {
  it('shows a visitor the tickets for sale, priced in yen', async () => {
    const title = uniqueTitle('Budokan')
    const ticketId = await (await seller()).sell(title, 8000)
    const page = await visitor(shop).get('/')
    expect(page.status).toBe(200)
    expect(page.res.headers.get('Content-Type')).toMatch(/^text\/html/)
    expect(page.html.startsWith('<!DOCTYPE html>')).toBe(true)
    expect(page.html).toContain(`<a href="/tickets/${ticketId}">${title}</a>`)
    expect(textOf(page.html)).toContain(`${title} ¥8,000`)
    expect(textOf(page.html)).toContain('Sign in Sign up')
  })

  it('escapes what sellers type', async () => {
    const title = `<script>alert(1)</script> ${crypto.randomUUID().slice(0, 8)}`
    await (await seller()).sell(title, 1000)
    const page = await visitor(shop).get('/')
    expect(page.html).not.toContain('<script>alert(1)')
    expect(page.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('pages through the tickets, newest first', async () => {
    const person = await seller()
    const ids: string[] = []
    for (let i = 0; i <= PAGE_SIZE; i++) {
      shop.clock.advance(1000)
      ids.push(await person.sell(uniqueTitle(`Page ticket ${i}`), 500 + i))
    }
    const first = await visitor(shop).get('/')
    const next = first.html.match(/<a rel="next" href="([^"]+)"/)?.[1]?.replaceAll('&amp;', '&')
    expect(next).toMatch(/^\/\?cursor=/)
    const onFirst = ids.filter((id) => first.html.includes(`/tickets/${id}"`))
    expect(onFirst).toEqual(ids.slice(1))
    const second = await visitor(shop).get(next ?? '')
    expect(second.html).toContain(`/tickets/${ids[0]}"`)
    expect(second.html).toContain('<a href="/">← First page</a>')
  })

  it('starts again from the first page for a mangled cursor', async () => {
    const page = await visitor(shop).get('/?cursor=not-a-cursor')
    expect(page.path).toBe('/')
    expect(page.status).toBe(200)
  })

  it('reads the next cursor from the API Link header', () => {
    expect(nextCursor('</api/tickets?limit=12&cursor=abc-_1>; rel="next"')).toBe('abc-_1')
    expect(nextCursor(null)).toBeUndefined()
  })
})

describe('the ticket page', () => {
  it('offers a visitor to sign in to buy, and the owner to edit', async () => {
    const owner = await seller()
    const ticketId = await owner.sell(uniqueTitle('Dome'), 12_000)
    const anonymous = await visitor(shop).get(`/tickets/${ticketId}`)
    expect(textOf(anonymous.html)).toContain('¥12,000')
    expect(anonymous.html).toContain(`href="/signin?next=%2Ftickets%2F${ticketId}"`)
    expect(anonymous.html).not.toContain('/buy')
    const own = await owner.get(`/tickets/${ticketId}`)
    expect(own.html).toContain(`href="/tickets/${ticketId}/edit"`)
    expect(own.html).not.toContain('/buy')
  })

  it('lets a signed-in buyer buy, then shows the ticket reserved to everyone else', async () => {
    const ticketId = await (await seller()).sell(uniqueTitle('Arena'), 9000)
    const buyer = visitor(shop)
    await buyer.signUp('buyer')
    const offer = await buyer.get(`/tickets/${ticketId}`)
    expect(offer.html).toContain(`action="/tickets/${ticketId}/buy"`)
    expect(textOf(offer.html)).toContain('Buy for ¥9,000')

    const order = await buy(buyer, ticketId)
    expect(order.status).toBe(200)
    expect(textOf(order.html)).toContain('Held for you for 15:00')

    const second = visitor(shop)
    await second.signUp('second')
    const seen = await eventually(async () => {
      const page = await second.get(`/tickets/${ticketId}`)
      return page.html.includes('class="badge reserved"') ? page : undefined
    })
    expect(textOf(seen.html)).toContain('Another buyer is holding this ticket')
    expect(seen.html).not.toContain('/buy')
    const index = await second.get('/')
    const card = index.html.split(`/tickets/${ticketId}"`)[1]?.split('</li>')[0] ?? ''
    expect(card).toContain('Reserved')
    // The holder is pointed back to their order.
    const mine = await buyer.get(`/tickets/${ticketId}`)
    expect(mine.html).toContain(`href="${order.path}"`)
  })

  it('shows the API refusal to a buyer who lost the race', async () => {
    const ticketId = await (await seller()).sell(uniqueTitle('Hall'), 3000)
    const first = visitor(shop)
    await first.signUp('first')
    await buy(first, ticketId)
    const late = visitor(shop)
    await late.signUp('late')
    const page = await late.post(`/tickets/${ticketId}/buy`, {})
    expect(page.status).toBe(400)
    expect(page.html).toContain('role="alert"')
    expect(textOf(page.html)).toContain('Ticket is already reserved')
  })

  it('sends a visitor who tries to buy to sign in first', async () => {
    const ticketId = await (await seller()).sell(uniqueTitle('Club'), 2000)
    const page = await visitor(shop).postOnly(`/tickets/${ticketId}/buy`, {})
    expect(page.status).toBe(303)
    expect(page.location).toBe(`/signin?next=%2Ftickets%2F${ticketId}`)
  })

  it('answers 404 for an unknown or malformed id', async () => {
    for (const id of [crypto.randomUUID(), 'not-a-ticket']) {
      const page = await visitor(shop).get(`/tickets/${id}`)
      expect(page.status).toBe(404)
      expect(textOf(page.html)).toContain('We could not find that ticket.')
    }
    const nowhere = await visitor(shop).get('/no/such/page')
    expect(nowhere.status).toBe(404)
    expect(nowhere.res.headers.get('Content-Type')).toMatch(/^text\/html/)
  })

  it('keeps unknown API paths answering in the API error shape', async () => {
    const res = await shop.storefront.app.request('/api/nothing-here')
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ errors: [{ message: 'Route not found' }] })
  })
})
