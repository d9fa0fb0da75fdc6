import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { memoryLogger, type RunningServer, serveHttp } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twtixDocument } from '../../embedded/api-document.ts'
import { createEmbedded, type Embedded } from '../../embedded/create-embedded.ts'
import { mountedServices } from '../../embedded/docs-routes.ts'
import { POSTMAN_FILE } from '../../tools/docs/generate.ts'
import { type PostmanCollection, postmanCollection } from '../../tools/docs/postman.ts'
import { apiClient } from '../e2e/client.ts'

type Summary = {
  run: { failures: { error: { message: string } }[]; executions: { response?: { code: number } }[] }
}
type Variables = { toObject(): Record<string, string> }
type Newman = {
  run(
    options: object,
    done: (err: Error | null, summary: Summary) => void,
  ): {
    on(event: 'script', listener: (err: Error | null, o: { execution: Execution }) => void): void
  }
}
type Execution = { collectionVariables?: Variables }
const newman = createRequire(import.meta.url)('newman') as Newman

let embedded: Embedded
let server: RunningServer
let collection: PostmanCollection

beforeAll(async () => {
  embedded = await createEmbedded({
    env: {},
    logger: memoryLogger('warn'),
    policy: { maxAttempts: 20, backoffMs: () => 20 },
  })
  server = await serveHttp(embedded.fetch, { port: 0, hostname: '127.0.0.1' })
  collection = await postmanCollection(await twtixDocument(mountedServices(embedded.services)))
})
afterAll(async () => {
  await server?.close()
  await embedded?.stop()
})

const allItems = (c: PostmanCollection) => c.item.flatMap((folder) => folder.item ?? [])
const item = (name: string) => allItems(collection).find((i) => i.name === name)

describe('the Postman collection', () => {
  it('is what is committed in docs/generated (npm run docs:build)', () => {
    const committed = readFileSync(resolve(import.meta.dirname, '../..', POSTMAN_FILE), 'utf8')
    expect(JSON.parse(committed), 'run `npm run docs:build` and commit the result').toEqual(
      collection,
    )
  })

  it('signs every request with the token Sign up and Sign in store', () => {
    expect(collection.variable.find((v) => v.key === 'baseUrl')?.value).toBe(
      'http://localhost:3000',
    )
    expect(collection.auth).toEqual({
      type: 'bearer',
      bearer: [{ key: 'token', value: '{{token}}', type: 'string' }],
    })
    for (const name of ['Sign up', 'Sign in']) {
      const script = item(name)
        ?.event?.find((e) => e.listen === 'test')
        ?.script.exec.join('\n')
      expect(script, name).toContain(
        "pm.collectionVariables.set('token', pm.response.json().token)",
      )
    }
    for (const i of allItems(collection)) expect(i.request?.auth, i.name).toBeUndefined()
  })

  it('buys a ticket when newman runs its requests against the embedded start', async () => {
    const values: Record<string, string> = {
      baseUrl: `http://127.0.0.1:${server.port}`,
      password: 'correct horse battery',
    }
    const run = async (requests: string[], email?: string) => {
      if (email) values.email = email
      const withValues = {
        ...collection,
        variable: collection.variable.map((v) => ({ ...v, value: values[v.key] ?? v.value })),
      }
      const summary = await new Promise<Summary>((done, fail) => {
        const running = newman.run(
          { collection: withValues, folder: requests, reporters: [] },
          (err, s) => (err ? fail(err) : done(s)),
        )
        // What the test scripts stored (the token, the ids), for the next run.
        running.on('script', (_err, { execution }) => {
          Object.assign(values, execution.collectionVariables?.toObject())
        })
      })
      expect(summary.run.failures.map((f) => f.error.message)).toEqual([])
      return summary.run.executions.map((e) => e.response?.code)
    }
    const api = apiClient(embedded.fetch, 'http://twtix.test')
    const tag = crypto.randomUUID().slice(0, 8)

    expect(await run(['Sign up', 'List a ticket for sale'], `seller-${tag}@example.test`)).toEqual([
      201, 201,
    ])
    const seller = values.token as string
    const ticketId = values.ticketId as string
    // Orders knows the ticket once the seller's own order is refused rather than unknown.
    await eventually(
      async () => (await api.post('/api/orders', { ticketId }, seller)).status === 400,
      { timeoutMs: 10_000, message: 'orders never saw the ticket' },
    )

    expect(await run(['Sign up', 'Order a ticket'], `buyer-${tag}@example.test`)).toEqual([
      201, 201,
    ])
    const orderId = values.orderId as string
    // Payments knows the order once someone else's payment is forbidden rather than unknown.
    await eventually(
      async () =>
        (await api.post('/api/payments', { orderId, token: 'tok_visa' }, seller)).status === 403,
      { timeoutMs: 10_000, message: 'payments never saw the order' },
    )

    expect(await run(['Pay for an order'])).toEqual([201])
    await eventually(
      async () =>
        (await api.get(`/api/orders/${orderId}`, values.token)).body.status === 'complete',
      { timeoutMs: 10_000, message: 'the order never completed' },
    )
  })
})
