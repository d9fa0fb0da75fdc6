import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { apiClient } from './client.ts'
import { flashSale, marketplaceStory } from './story.ts'

// Runs the same story over HTTP against a running marketplace: `npm run stack` behind nginx,
// `npm run start:deno`, or Compose. Its hold must be short (ORDER_HOLD_SECONDS, e.g. 4).
const baseUrl = process.env.E2E_BASE_URL
const holdSeconds = Number(process.env.E2E_HOLD_SECONDS ?? 4)
if (!baseUrl) {
  console.log('remote end-to-end suite skipped: set E2E_BASE_URL (e.g. http://127.0.0.1:8080)')
}

describe.skipIf(!baseUrl)(`the marketplace over HTTP at ${baseUrl}`, () => {
  const api = apiClient((request) => fetch(request), baseUrl ?? 'http://unused')
  const timeoutMs = (holdSeconds + 15) * 1000

  it('runs the whole story', { timeout: timeoutMs * 4 }, async () => {
    const result = await marketplaceStory(api, { expireHold: () => {}, timeoutMs })
    expect(result.orderId).toBeTruthy()
  })

  it('refuses a body past the limit with 413 in the error shape, at the ingress as at a service', async () => {
    const res = await fetch(`${baseUrl}/api/tickets`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'x'.repeat(1_500_000), price: 1000 }),
    })
    expect(res.status).toBe(413)
    expect(await res.json()).toEqual({ errors: [{ message: 'Request body is too large' }] })
  })

  it('gives one of 50 racing buyers the ticket', { timeout: timeoutMs * 2 }, async () => {
    await flashSale(api, 50, timeoutMs)
  })
})
