import type { Admin } from 'kafkajs'
import type { Logger } from '../logger.ts'
import { deadLetterTopic } from './port.ts'

export type TopicSettings = {
  admin: () => Promise<Admin>
  partitions: number
  replicationFactor: number
  logger: Logger
}

const isDeadLetterTopic = (topic: string) => topic.endsWith(deadLetterTopic(''))
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * Returns `ensureTopics`: creates each topic and its dead-letter topic when missing, with the
 * configured partitions, and remembers what exists. Several processes may create the same topic
 * at once: "already exists" is success. The broker does not create topics on its own
 * (auto.create.topics.enable=false), so the adapter ensures a topic before it first publishes to
 * it or subscribes to it.
 */
export function createTopicKeeper(settings: TopicSettings) {
  const known = new Set<string>()

  // A created topic is usable once every partition has a leader that answers for it. The
  // metadata names the leader a moment before the broker serves the partition; a consumer that
  // starts in that moment is answered NOT_LEADER and re-joins its group (a needless rebalance).
  async function waitForLeaders(admin: Admin, topics: string[]) {
    const deadline = Date.now() + 30_000
    for (;;) {
      try {
        const { topics: found } = await admin.fetchTopicMetadata({ topics })
        const led = found.every(
          (t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0),
        )
        if (found.length === topics.length && led) {
          await Promise.all(topics.map((t) => admin.fetchTopicOffsets(t)))
          return
        }
      } catch (err) {
        if (Date.now() > deadline) throw err
      }
      if (Date.now() > deadline) throw new Error(`topics have no leader yet: ${topics.join(', ')}`)
      await delay(100)
    }
  }

  return async function ensureTopics(topics: string[]): Promise<void> {
    // A dead-letter topic gets no dead-letter topic of its own until something dead-letters there.
    const named = topics.flatMap((t) => (isDeadLetterTopic(t) ? [t] : [t, deadLetterTopic(t)]))
    const wanted = [...new Set(named)].filter((t) => !known.has(t))
    if (wanted.length === 0) return
    const admin = await settings.admin()
    const existing = new Set(await admin.listTopics())
    const missing = wanted.filter((t) => !existing.has(t))
    if (missing.length > 0) {
      const created = await admin.createTopics({
        topics: missing.map((topic) => ({
          topic,
          numPartitions: settings.partitions,
          replicationFactor: settings.replicationFactor,
        })),
        waitForLeaders: false,
      })
      await waitForLeaders(admin, missing)
      if (created) settings.logger.info('kafka topics created', { topics: missing })
    }
    for (const t of wanted) known.add(t)
  }
}
