import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createTestShop,
  soldTicket as sold,
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

const soldTicket = () => sold(shop)

async function signedIn(name: string) {
  const person = visitor(shop)
  await person.signUp(name)
  return person
}

/** The buyer's order page once tickets has heard of the payment. */
function paidPage(buyer: Visitor, orderPath: string, text: string) {
  return eventually(async () => {
    const page = await buyer.get(orderPath)
    return textOf(page.html).includes(text) ? page : undefined
  })
}

describe('delivery in the storefront', () => {
  it('lets the seller add a code, shows pending then ready, and the paid buyer sees the code', async () => {
    const { seller, buyer, ticketId, orderPath } = await soldTicket()
    const before = await seller.get(`/tickets/${ticketId}`)
    expect(textOf(before.html)).toContain('Delivery pending. Add the delivery details')
    const pending = await paidPage(buyer, orderPath, 'The seller has not added the delivery yet')
    expect(pending.status).toBe(200)

    const saved = await seller.post(`/tickets/${ticketId}/delivery`, { code: 'GATE-7731', url: '' })
    expect(saved.path).toBe(`/tickets/${ticketId}/delivery?notice=delivery`)
    expect(textOf(saved.html)).toContain('Delivery ready: the code GATE-7731')
    expect(textOf((await seller.get(`/tickets/${ticketId}`)).html)).toContain('Delivery ready.')

    const page = await paidPage(buyer, orderPath, 'Transfer code: GATE-7731')
    expect(page.status).toBe(200)
    // Nobody else sees it: not on the public ticket page, not on another's delivery form.
    expect((await visitor(shop).get(`/tickets/${ticketId}`)).html).not.toContain('GATE-7731')
    const other = await buyer.get(`/tickets/${ticketId}/delivery`)
    expect(other.status).toBe(403)
    expect(other.html).not.toContain('GATE-7731')
  })

  it('uploads a file the buyer downloads through the storefront, byte for byte', async () => {
    const { seller, buyer, ticketId, orderPath } = await soldTicket()
    const png = new Uint8Array(5000)
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
    for (let i = 8; i < png.length; i++) png[i] = i % 256
    const form = new FormData()
    form.set('code', '')
    form.set('url', '')
    form.set('file', new File([png], 'qr.png', { type: 'image/png' }))
    const saved = await seller.postMultipart(`/tickets/${ticketId}/delivery`, form)
    expect(textOf(saved.html)).toContain('Delivery ready: a file (PNG, 5 KB)')

    await paidPage(buyer, orderPath, 'Download your ticket')
    const file = await buyer.get(`${orderPath}/ticket`)
    expect(file.res.headers.get('content-type')).toBe('image/png')
    expect(file.res.headers.get('content-disposition')).toBe(
      `attachment; filename="ticket-${ticketId}.png"`,
    )
    const direct = await shop.storefront.app.request(`${orderPath}/ticket`, {
      headers: { Cookie: [...buyer.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
    })
    const bytes = new Uint8Array(await direct.arrayBuffer())
    expect(bytes.byteLength).toBe(png.byteLength)
    expect(bytes.every((b, i) => b === png[i])).toBe(true)
    // Someone else asking for it is sent away with nothing.
    const stranger = await signedIn('stranger')
    const refused = await stranger.get(`${orderPath}/ticket`)
    expect(refused.status).toBe(404)
  })

  it('shows the API’s refusal beside the field, and refuses a file that is not a PDF or PNG', async () => {
    const seller = await signedIn('seller')
    const ticketId = await seller.sell('Zepp Haneda', 5000)
    const bad = await seller.post(`/tickets/${ticketId}/delivery`, {
      code: '',
      url: 'http://tickets.example.jp/t',
    })
    expect(bad.status).toBe(400)
    expect(textOf(bad.html)).toContain('URL must start with https://')
    const form = new FormData()
    form.set('file', new File([new TextEncoder().encode('GIF89a')], 'a.gif', { type: 'image/gif' }))
    const gif = await seller.postMultipart(`/tickets/${ticketId}/delivery`, form)
    expect(gif.status).toBe(415)
    expect(textOf((await seller.get(`/tickets/${ticketId}`)).html)).toContain('Delivery pending.')
  })
})
