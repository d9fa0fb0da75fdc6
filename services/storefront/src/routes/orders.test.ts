import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestShop,
  HOLD_SECONDS,
  type TestShop,
  textOf,
  type Visitor,
  visitor,
} from '../test-support.ts'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

async function signedIn(name: string) {
  const person = visitor(shop)
  await person.signUp(name)
  return person
}

/** A fresh ticket bought by a new buyer: the buyer, the ticket id and the order page's path. */
async function heldTicket(title = `Live ${crypto.randomUUID().slice(0, 8)}`, price = 8000) {
  const ticketId = await (await signedIn('seller')).sell(title, price)
  const buyer = await signedIn('buyer')
  const order = await eventually(async () => {
    const page = await buyer.post(`/tickets/${ticketId}/buy`, {})
    return page.path.startsWith('/orders/') ? page : undefined
  })
  return { buyer, ticketId, orderPath: order.path, order, title }
}

/** Pays once payments has heard of the order (it learns through order.created). */
async function pay(buyer: Visitor, orderPath: string, token: string) {
  return eventually(async () => {
    const page = await buyer.post(`${orderPath}/pay`, {
      token,
      idempotencyKey: crypto.randomUUID(),
    })
    return page.status === 409 ? undefined : page
  })
}

describe('the order page', () => {
  it('shows the hold counting down from the server, and the test cards', async () => {
    const { buyer, orderPath, order } = await heldTicket()
    expect(textOf(order.html)).toContain('Held for you for 15:00')
    expect(order.html).toContain(`data-remaining="${HOLD_SECONDS}"`)
    expect(order.html).toMatch(/<script nonce="[\w+/=]+">/)
    expect(order.html).toContain('name="token" value="tok_visa" checked=""')
    // The default 5 % buyer fee: the price, the fee and the total charged.
    expect(textOf(order.html)).toContain('Ticket ¥8,000 · Service fee ¥400 · Total ¥8,400')
    expect(textOf(order.html)).toContain('Pay ¥8,400')
    const csp = order.res.headers.get('Content-Security-Policy') ?? ''
    const nonce = order.html.match(/<script nonce="([^"]+)">/)?.[1]
    expect(csp).toContain(`'nonce-${nonce}'`)

    shop.clock.advance(61_000)
    const later = await buyer.get(orderPath)
    expect(textOf(later.html)).toContain('Held for you for 13:59')
  })

  it('declines a card beside the card choice, then pays and the ticket leaves the index', async () => {
    const { buyer, orderPath, ticketId, title } = await heldTicket()
    const declined = await pay(buyer, orderPath, 'tok_chargeDeclined')
    expect(declined.status).toBe(402)
    expect(declined.html).toContain(
      '<p class="field-error" id="field-token-error" role="alert">Your card was declined.</p>',
    )
    expect(declined.html).toContain('value="tok_chargeDeclined" checked=""')
    const paid = await pay(buyer, orderPath, 'tok_visa')
    expect(paid.path).toBe(`${orderPath}?notice=paid`)
    const done = await eventually(async () => {
      const page = await buyer.get(`${orderPath}?notice=paid`)
      return page.html.includes('class="badge complete"') ? page : undefined
    })
    expect(textOf(done.html)).toContain('Paid. The ticket is yours.')
    expect(done.html).not.toContain('id="pay-form"')
    await eventually(async () => !(await visitor(shop).get('/')).html.includes(ticketId))
    const history = await buyer.get('/orders')
    expect(textOf(history.html)).toContain(`${title} ¥8,000 Paid`)
  })

  it('reloads itself while a payment is being confirmed', async () => {
    const { buyer, orderPath } = await heldTicket()
    // Paid, but the order service has not yet applied the payment: confirming.
    const page = await buyer.get(`${orderPath}?notice=paid`)
    expect(textOf(page.html)).toContain('Payment received. Confirming your ticket…')
    expect(page.html).toContain('<meta http-equiv="refresh" content="2"/>')
    expect(page.html).not.toContain('id="pay-form"')
  })

  it('lets the buyer cancel, and lists the order as cancelled', async () => {
    const { buyer, orderPath, title } = await heldTicket()
    const page = await buyer.post(`${orderPath}/cancel`, {})
    expect(page.path).toBe(`${orderPath}?notice=cancelled`)
    expect(textOf(page.html)).toContain('This order was cancelled.')
    const history = await buyer.get('/orders')
    expect(textOf(history.html)).toContain(`${title} ¥8,000 Cancelled`)
  })

  it('shows an ended hold once the time is up', async () => {
    const { buyer, orderPath } = await heldTicket()
    shop.clock.advance((HOLD_SECONDS + 1) * 1000)
    const page = await buyer.get(orderPath)
    expect(page.html).toMatch(/class="badge (expired|cancelled)"/)
    expect(page.html).not.toContain('id="pay-form"')
  })

  it("keeps other people's orders private", async () => {
    const { orderPath } = await heldTicket()
    const other = await signedIn('other')
    expect((await other.get(orderPath)).status).toBe(403)
    const paying = await other.post(`${orderPath}/pay`, { token: 'tok_visa' })
    expect(paying.status).toBe(403)
    expect((await visitor(shop).get(orderPath)).path).toBe(
      `/signin?next=${encodeURIComponent(orderPath)}`,
    )
    expect((await other.get(`/orders/${crypto.randomUUID()}`)).status).toBe(404)
  })
})

describe('my orders', () => {
  it('lists the buyer’s orders newest first with their status', async () => {
    const first = await heldTicket('First pick')
    shop.clock.advance(1000)
    const ticketId = await (await signedIn('seller')).sell('Second pick', 700)
    await first.buyer.post(`/tickets/${ticketId}/buy`, {})
    const page = await first.buyer.get('/orders')
    const text = textOf(page.html)
    expect(text).toMatch(/Second pick ¥700 Awaiting payment .* First pick ¥8,000 Awaiting payment/)
  })

  it('says so when there are none', async () => {
    const page = await (await signedIn('new')).get('/orders')
    expect(textOf(page.html)).toContain('You have no orders yet.')
  })
})
