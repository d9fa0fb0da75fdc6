import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BusMessage, EventBus, RetryPolicy } from '../bus/port.ts'
import { PoisonMessageError } from '../events/envelope.ts'
import { gate } from './gate.ts'
import { eventually } from './test-database.ts'

/** The policy every adapter under contract is created with. */
export const contractPolicy: RetryPolicy = { maxAttempts: 3, backoffMs: () => 20 }

const unique = (name: string) => `contract-${name}-${crypto.randomUUID().slice(0, 8)}`

/**
 * What every adapter of the bus port must do. Each test uses its own topics and groups, so the
 * suite runs against a shared broker. `create` must apply `contractPolicy`.
 */
export function busContract(
  name: string,
  create: (policy: RetryPolicy) => Promise<EventBus>,
  options: { timeoutMs?: number } = {},
) {
  const timeoutMs = options.timeoutMs ?? 15_000
  describe(`bus contract: ${name}`, () => {
    let bus: EventBus
    beforeAll(async () => {
      bus = await create(contractPolicy)
    })
    afterAll(async () => {
      await bus?.close()
    })

    const until = <T>(check: () => T, message: string) =>
      eventually(check, { timeoutMs, intervalMs: 20, message })

    it('delivers every message to every group', async () => {
      const topic = unique('fanout')
      await bus.ensureTopics([topic])
      const seen: Record<string, string[]> = { a: [], b: [] }
      for (const g of ['a', 'b'] as const) {
        await bus.subscribe({
          group: unique(g),
          topics: [topic],
          handler: async (m) => {
            seen[g]?.push(m.value)
          },
        })
      }
      await bus.publish(topic, [
        { key: 'k1', value: 'one' },
        { key: 'k2', value: 'two' },
      ])
      await until(() => seen.a?.length === 2 && seen.b?.length === 2, 'both groups get both')
      expect(seen.a?.sort()).toEqual(['one', 'two'])
      expect(seen.b?.sort()).toEqual(['one', 'two'])
    })

    it('keeps the order of each key', async () => {
      const topic = unique('order')
      await bus.ensureTopics([topic])
      const got = new Map<string, number[]>()
      await bus.subscribe({
        group: unique('g'),
        topics: [topic],
        handler: async (m) => {
          const list = got.get(m.key) ?? []
          list.push(Number(m.value))
          got.set(m.key, list)
        },
      })
      const keys = ['a', 'b', 'c', 'd', 'e']
      for (let batch = 0; batch < 5; batch++) {
        await bus.publish(
          topic,
          Array.from({ length: 10 }, (_, i) => ({
            key: keys[i % keys.length] as string,
            value: String(batch * 10 + i),
          })),
        )
      }
      await until(() => [...got.values()].flat().length === 50, 'all 50 delivered')
      for (const key of keys) {
        const values = got.get(key) ?? []
        expect(values).toHaveLength(10)
        expect(values).toEqual([...values].sort((x, y) => x - y))
      }
    })

    it('offers waiting messages to the batch handler, and each to the handler when it fails', async () => {
      const topic = unique('batch')
      await bus.ensureTopics([topic])
      const done: string[] = []
      const batches: string[][] = []
      await bus.subscribe({
        group: unique('g'),
        topics: [topic],
        handler: async (m) => void done.push(m.value),
        // All or nothing, as a transaction: a batch holding `bad` applies none of it.
        batchHandler: async (messages) => {
          const values = messages.map((m) => m.value)
          if (values.includes('bad')) throw new Error('batch failed')
          batches.push(values)
          done.push(...values)
        },
      })
      const values = ['m0', 'm1', 'bad', 'm3', 'm4', 'm5']
      await bus.publish(
        topic,
        values.map((value) => ({ key: 'one-key', value })),
      )
      await until(() => done.length >= values.length, 'every message handled')
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(done).toEqual(values)
      for (const batch of batches) {
        expect(batch.length).toBeGreaterThan(1)
        expect(batch).not.toContain('bad')
      }
    })

    it("shares a group's messages between its members, each message once", async () => {
      const topic = unique('share')
      await bus.ensureTopics([topic])
      const group = unique('g')
      const byMember: Record<string, string[]> = { one: [], two: [] }
      for (const member of ['one', 'two'] as const) {
        await bus.subscribe({
          group,
          topics: [topic],
          handler: async (m) => {
            byMember[member]?.push(m.value)
          },
        })
      }
      const values = Array.from({ length: 30 }, (_, i) => `m${i}`)
      await bus.publish(
        topic,
        values.map((value, i) => ({ key: `key-${i}`, value })),
      )
      const all = () => [...(byMember.one ?? []), ...(byMember.two ?? [])]
      await until(() => new Set(all()).size === values.length, 'every message handled')
      expect(all().sort()).toEqual([...values].sort())
    })

    it('retries a failing handler, holding back later messages of the same key', async () => {
      const topic = unique('retry')
      await bus.ensureTopics([topic])
      const log: string[] = []
      let failures = 0
      await bus.subscribe({
        group: unique('g'),
        topics: [topic],
        handler: async (m) => {
          if (m.value === 'first' && failures < 2) {
            failures++
            log.push('first failed')
            throw new Error('temporary')
          }
          log.push(m.value)
        },
      })
      await bus.publish(topic, [
        { key: 'same', value: 'first' },
        { key: 'same', value: 'second' },
      ])
      await until(() => log.includes('second'), 'second delivered')
      expect(log).toEqual(['first failed', 'first failed', 'first', 'second'])
    })

    it('dead-letters a message after the last attempt and goes on', async () => {
      const topic = unique('dlq')
      await bus.ensureTopics([topic])
      const handled: string[] = []
      let attempts = 0
      const group = unique('g')
      await bus.subscribe({
        group,
        topics: [topic],
        handler: async (m) => {
          if (m.value === 'bad') {
            attempts++
            throw new Error('always fails')
          }
          handled.push(m.value)
        },
      })
      const dead: BusMessage[] = []
      await bus.subscribe({
        group: unique('dlq-reader'),
        topics: [`${topic}.dlq`],
        handler: async (m) => {
          dead.push(m)
        },
      })
      await bus.publish(topic, [
        { key: 'k', value: 'bad' },
        { key: 'k', value: 'good' },
      ])
      await until(() => handled.includes('good') && dead.length === 1, 'dead-lettered, then on')
      expect(attempts).toBe(contractPolicy.maxAttempts)
      expect(dead[0]?.value).toBe('bad')
      expect(dead[0]?.headers['x-dlq-error']).toContain('always fails')
      expect(dead[0]?.headers['x-dlq-group']).toBe(group)
    })

    it('dead-letters a poison message at once', async () => {
      const topic = unique('poison')
      await bus.ensureTopics([topic])
      let attempts = 0
      const dead: BusMessage[] = []
      await bus.subscribe({
        group: unique('g'),
        topics: [topic],
        handler: async () => {
          attempts++
          throw new PoisonMessageError('schema says no')
        },
      })
      await bus.subscribe({
        group: unique('dlq-reader'),
        topics: [`${topic}.dlq`],
        handler: async (m) => {
          dead.push(m)
        },
      })
      await bus.publish(topic, [{ key: 'k', value: '{"not":"an event"}' }])
      await until(() => dead.length === 1, 'poison dead-lettered')
      expect(attempts).toBe(1)
      expect(dead[0]?.headers['x-dlq-error']).toContain('schema says no')
    })

    it('redelivers what a member that went away had not acknowledged', async () => {
      const topic = unique('redeliver')
      await bus.ensureTopics([topic])
      const group = unique('g')
      const inHandler = gate()
      const release = gate()
      const first = await bus.subscribe({
        group,
        topics: [topic],
        handler: async () => {
          inHandler.open()
          await release.opened
        },
      })
      await bus.publish(topic, [{ key: 'k', value: 'payload' }])
      await inHandler.opened
      const closing = first.close()
      release.open()
      await closing
      const again: string[] = []
      await bus.subscribe({
        group,
        topics: [topic],
        handler: async (m) => {
          again.push(m.value)
        },
      })
      await until(() => again.length > 0, 'redelivered to the next member')
      expect(again[0]).toBe('payload')
    })
  })
}
