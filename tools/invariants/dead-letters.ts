import { aggregates, deadLetterTopic } from '@twtix/common'
import kafkajs, { type SASLOptions } from 'kafkajs'
import type { Violation } from './rules.ts'

/** Messages kept in each dead-letter topic (`<topic>.dlq`). */
export type DeadLetterCounts = Record<string, number>

/** twtix's own dead-letter topics among a broker's: a shared one holds other stacks' and tests'. */
export function ownDeadLetterTopics(topics: string[], prefix: string): string[] {
  const ours = new Set(Object.values(aggregates).map((t) => deadLetterTopic(prefix + t)))
  return topics.filter((t) => ours.has(t)).sort()
}

/**
 * Counts the messages in the dead-letter topic of each of twtix's topics (`<prefix><topic>.dlq`):
 * the sum over partitions of the high minus the low water mark. Read-only: an admin client asks
 * for offsets and nothing else.
 */
export async function countDeadLetters(options: {
  brokers: string[]
  sasl?: SASLOptions
  topicPrefix?: string
}): Promise<DeadLetterCounts> {
  const kafka = new kafkajs.Kafka({
    clientId: 'twtix-invariants',
    brokers: options.brokers,
    sasl: options.sasl,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 3 },
  })
  const admin = kafka.admin()
  await admin.connect()
  try {
    const topics = ownDeadLetterTopics(await admin.listTopics(), options.topicPrefix ?? '')
    const counts: DeadLetterCounts = {}
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic)
      counts[topic] = offsets.reduce((n, p) => n + Number(BigInt(p.high) - BigInt(p.low)), 0)
    }
    return counts
  } finally {
    await admin.disconnect()
  }
}

/** What dead letters are expected: a total, or a count per topic (others expected empty). */
export type ExpectedDeadLetters = number | Record<string, number>

/** Parses `--expect-dlq=1` or `--expect-dlq=tickets.dlq=1,orders.dlq=0`. */
export function parseExpectedDeadLetters(text: string): ExpectedDeadLetters {
  if (/^\d+$/.test(text)) return Number(text)
  const expected: Record<string, number> = {}
  for (const part of text.split(',')) {
    const match = /^(.+)=(\d+)$/.exec(part.trim())
    if (!match) throw new Error(`--expect-dlq: "${part}" is not <n> or <topic>=<n>`)
    expected[match[1] as string] = Number(match[2])
  }
  return expected
}

/** A violation for each topic (or the total) that holds other than the expected number. */
export function deadLetterViolations(
  counts: DeadLetterCounts,
  expected: ExpectedDeadLetters = 0,
): Violation[] {
  if (typeof expected === 'number') {
    const total = Object.values(counts).reduce((a, b) => a + b, 0)
    if (total === expected) return []
    const where = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([t, n]) => `${t}: ${n}`)
    return [
      {
        rule: 'dead-letters',
        message: `${total} dead letter(s), expected ${expected}${where.length ? ` (${where.join(', ')})` : ''}`,
        ids: { topics: where.map((w) => w.split(':')[0] as string) },
      },
    ]
  }
  const topics = new Set([...Object.keys(counts), ...Object.keys(expected)])
  return [...topics].sort().flatMap((topic): Violation[] => {
    const found = counts[topic] ?? 0
    const wanted = expected[topic] ?? 0
    return found === wanted
      ? []
      : [
          {
            rule: 'dead-letters',
            message: `${found} dead letter(s) in ${topic}, expected ${wanted}`,
            ids: { topic },
          },
        ]
  })
}
