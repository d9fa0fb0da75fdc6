import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf, visitor } from '../test-support.ts'

const ADMIN = `ops-${crypto.randomUUID().slice(0, 8)}@example.test`
let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop({ apiEnv: { ADMIN_EMAILS: ADMIN } })
})
afterAll(async () => {
  await shop?.stop()
})

async function newEvent() {
  const days = (n: number) => new Date(shop.clock().getTime() + n * 86_400_000)
  const res = await shop.fetch(
    new Request('http://shop.test/api/events', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${await token()}`,
      },
      body: JSON.stringify({
        name: `Live ${crypto.randomUUID().slice(0, 8)}`,
        venue: 'Budokan',
        city: 'Tokyo',
        startsAt: days(10).toISOString(),
      }),
    }),
  )
  return ((await res.json()) as { id: string }).id
}

async function token() {
  const email = `seller-${crypto.randomUUID().slice(0, 8)}@example.test`
  const res = await shop.fetch(
    new Request('http://shop.test/api/users/signup', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: 'correct horse battery' }),
    }),
  )
  return ((await res.json()) as { token: string }).token
}

describe('the event page for admins', () => {
  it('offers an admin to postpone and cancel the event, and does it', async () => {
    const eventId = await newEvent()
    const admin = visitor(shop)
    await admin.signUp('ops', ADMIN)
    const page = await admin.get(`/events/${eventId}`)
    expect(page.html).toContain(`action="/events/${eventId}/cancel"`)

    const postponed = await admin.post(`/events/${eventId}/postpone`, {
      startsAt: '2099-01-01T18:00',
    })
    expect(postponed.status).toBe(400)
    expect(textOf(postponed.html)).toContain('startsAt must be within 5 years')
    const later = new Date(shop.clock().getTime() + 40 * 86_400_000).toISOString().slice(0, 16)
    const moved = await admin.post(`/events/${eventId}/postpone`, { startsAt: later })
    expect(moved.path).toBe(`/events/${eventId}?notice=event-postpone`)
    expect(textOf(moved.html)).toContain('This event has been postponed.')

    const cancelled = await admin.post(`/events/${eventId}/cancel`, {})
    expect(cancelled.path).toBe(`/events/${eventId}?notice=event-cancel`)
    expect(textOf(cancelled.html)).toContain('This event has been cancelled.')
    const again = await admin.post(`/events/${eventId}/cancel`, {})
    expect(again.status).toBe(409)
    expect(textOf(again.html)).toContain('Event is already cancelled')
    expect(again.html).not.toContain(`action="/events/${eventId}/cancel"`)
  })

  it('shows no admin controls to a user, and refuses their post with 403', async () => {
    const eventId = await newEvent()
    const user = visitor(shop)
    await user.signUp('fan')
    const page = await user.get(`/events/${eventId}`)
    expect(page.html).not.toContain('/cancel"')
    const refused = await user.post(`/events/${eventId}/cancel`, {})
    expect(refused.status).toBe(403)
    const still = await user.get(`/events/${eventId}`)
    expect(textOf(still.html)).not.toContain('cancelled')
  })
})
