/**
 * Waits until the target has done everything a burst of requests set off: every outbox row
 * published and every consumer group at the end of its topics (the stack), so the CPU it used
 * can be charged to the requests and the next scenario starts on a quiet system.
 */
import kafkajs from 'kafkajs'
import type postgres from 'postgres'
import { serviceNames } from '../invariants/snapshot.ts'
import { delay } from './api.ts'

export type Settler = { settle(timeoutMs?: number): Promise<number>; close(): Promise<void> }

export const SERVICES_WITH_OUTBOX = serviceNames

export async function stackSettler(o: {
  dbs: Record<string, postgres.Sql>
  brokers: string[]
  topicPrefix: string
}): Promise<Settler> {
  const kafka = new kafkajs.Kafka({
    clientId: 'twtix-bench-settle',
    brokers: o.brokers,
    logLevel: kafkajs.logLevel.NOTHING,
  })
  const admin = kafka.admin()
  await admin.connect()

  async function backlog(): Promise<number> {
    let pending = 0
    for (const [name, db] of Object.entries(o.dbs)) {
      const [row] = await db.unsafe(
        `select count(*)::int as n from "${name}".outbox where sent_at is null`,
      )
      pending += (row?.n as number) ?? 0
    }
    const topics = (await admin.listTopics()).filter(
      (t) => t.startsWith(o.topicPrefix) && !t.endsWith('.dlq') && !t.endsWith('rtt'),
    )
    const ends = new Map<string, number>()
    for (const topic of topics) {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}#${p.partition}`, Number(p.high))
    }
    for (const service of SERVICES_WITH_OUTBOX) {
      const groupId = `${o.topicPrefix}${service}`
      for (const t of await admin.fetchOffsets({ groupId, topics })) {
        for (const p of t.partitions) {
          const end = ends.get(`${t.topic}#${p.partition}`) ?? 0
          const at = Number(p.offset)
          // A group that never read a topic it does not subscribe to has no offset (-1).
          if (at >= 0) pending += Math.max(0, end - at)
        }
      }
    }
    return pending
  }

  return {
    async settle(timeoutMs = 120_000) {
      const started = performance.now()
      let quiet = 0
      while (quiet < 2) {
        quiet = (await backlog()) === 0 ? quiet + 1 : 0
        if (performance.now() - started > timeoutMs) {
          throw new Error(`the stack did not settle within ${timeoutMs / 1000} s`)
        }
        await delay(200)
      }
      return performance.now() - started
    },
    close: () => admin.disconnect(),
  }
}

/** The embedded start cannot be looked into from outside: give its in-process bus a moment. */
export const embeddedSettler: Settler = {
  async settle() {
    await delay(3000)
    return 3000
  },
  close: async () => {},
}
