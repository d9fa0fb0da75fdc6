import { manualClock, memoryLogger } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedded, type Embedded } from '../embedded/create-embedded.ts'
import { apiClient } from './client.ts'
import { marketplaceStory } from './story.ts'

const HOLD_SECONDS = 60
const clock = manualClock(new Date())
let embedded: Embedded

beforeAll(async () => {
  embedded = await createEmbedded({
    env: { ORDER_HOLD_SECONDS: String(HOLD_SECONDS) },
    clock,
    logger: memoryLogger('warn'),
    policy: { maxAttempts: 20, backoffMs: () => 20 },
  })
})
afterAll(async () => {
  await embedded?.stop()
})

describe('the embedded marketplace, end to end', () => {
  it('lets a buyer buy a ticket after another buyer’s hold expired', async () => {
    const api = apiClient(embedded.fetch, 'http://twtix.test')
    const result = await marketplaceStory(api, {
      expireHold: () => clock.advance((HOLD_SECONDS + 1) * 1000),
      timeoutMs: 10_000,
    })
    expect(result.ticketId).toBeTruthy()
  })

  it('gives one of 50 racing buyers the ticket and the others a fast 400', async () => {
    const api = apiClient(embedded.fetch, 'http://twtix.test')
    const signup = (name: string) =>
      api.post('/api/users/signup', {
        email: `${name}-${crypto.randomUUID()}@example.test`,
        password: 'correct horse',
      })
    const seller = (await signup('seller')).body
    const ticket = (
      await api.post('/api/tickets', { title: 'Flash sale', price: 5000 }, seller.token)
    ).body
    const buyers = await Promise.all(Array.from({ length: 50 }, (_, i) => signup(`buyer${i}`)))
    // The seller's own order is refused with 400 once orders knows the ticket (404 before).
    await eventually(
      async () =>
        (await api.post('/api/orders', { ticketId: ticket.id }, seller.token)).status === 400,
    )
    const results = await Promise.all(
      buyers.map((b) => api.post('/api/orders', { ticketId: ticket.id }, b.body.token)),
    )
    const statuses = results.map((r) => r.status).sort()
    expect(statuses.filter((s) => s === 201)).toHaveLength(1)
    expect(statuses.filter((s) => s === 400)).toHaveLength(49)
  })
})
