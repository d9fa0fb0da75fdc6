import { manualClock, memoryLogger } from '@twtix/common'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { apiClient } from './client.ts'
import { flashSale, marketplaceStory } from './story.ts'

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
    await flashSale(apiClient(embedded.fetch, 'http://twtix.test'), 50, 10_000)
  })
})
