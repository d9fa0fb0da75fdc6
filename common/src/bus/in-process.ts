import { createLogger, type Logger } from '../logger.ts'
import { deadLetterHeaders, deliver, deliverBatch } from './deliver.ts'
import {
  type BatchHandler,
  type BusMessage,
  defaultRetryPolicy,
  type EventBus,
  MAX_BATCH,
  type MessageHandler,
  type OutgoingMessage,
  type RetryPolicy,
  type SubscribeOptions,
} from './port.ts'

type Partition = { log: BusMessage[]; next: number }
type Topic = { partitions: Partition[] }
type Member = {
  id: number
  handler: MessageHandler
  batchHandler?: BatchHandler
  topics: Set<string>
  closed: boolean
}
type Worker = { member: Member; running: boolean; wake: () => void; stopped: boolean }
type Group = {
  name: string
  members: Member[]
  /** committed offset per `topic#partition` */
  offsets: Map<string, number>
  workers: Map<string, Worker>
}

export type InProcessBusOptions = {
  partitions?: number
  policy?: RetryPolicy
  logger?: Logger
}

function hash(key: string) {
  let h = 0
  for (let i = 0; i < key.length; i++) h = (Math.imul(31, h) + key.charCodeAt(i)) | 0
  return Math.abs(h)
}

/**
 * The in-process adapter: a partitioned log per topic in memory, consumer groups with
 * committed offsets, one sequential worker per partition and group. It keeps Kafka's promises
 * within one process (the embedded start and the unit tests).
 */
export function createInProcessBus(options: InProcessBusOptions = {}): EventBus {
  const partitionCount = options.partitions ?? 3
  const policy = options.policy ?? defaultRetryPolicy
  const logger = options.logger ?? createLogger({ level: 'warn' })
  const topics = new Map<string, Topic>()
  const groups = new Map<string, Group>()
  let memberIds = 0
  let closed = false

  function topic(name: string): Topic {
    let t = topics.get(name)
    if (!t) {
      t = { partitions: Array.from({ length: partitionCount }, () => ({ log: [], next: 0 })) }
      topics.set(name, t)
    }
    return t
  }

  function append(name: string, messages: OutgoingMessage[]) {
    const t = topic(name)
    for (const m of messages) {
      const partition = hash(m.key) % partitionCount
      const p = t.partitions[partition] as Partition
      p.log.push({
        topic: name,
        key: m.key,
        value: m.value,
        headers: { ...m.headers },
        partition,
        offset: String(p.next++),
      })
    }
    for (const g of groups.values()) assign(g)
  }

  function assign(group: Group) {
    for (const [name, t] of topics) {
      const members = group.members.filter((m) => m.topics.has(name))
      for (let partition = 0; partition < t.partitions.length; partition++) {
        const slot = `${name}#${partition}`
        const owner = members.length ? members[partition % members.length] : undefined
        const current = group.workers.get(slot)
        if (current && current.member === owner && !current.stopped) {
          current.wake()
          continue
        }
        if (current) current.stopped = true
        if (!owner) {
          group.workers.delete(slot)
          continue
        }
        group.workers.set(slot, startWorker(group, name, partition, owner))
      }
    }
  }

  function startWorker(group: Group, name: string, partition: number, member: Member): Worker {
    const slot = `${name}#${partition}`
    let signal: (() => void) | undefined
    const worker: Worker = {
      member,
      running: true,
      stopped: false,
      wake: () => signal?.(),
    }
    const p = topic(name).partitions[partition] as Partition
    const active = () => !worker.stopped && !member.closed && !closed
    // Offsets below this one failed as a batch: they are delivered one at a time.
    let aloneUntil = 0
    const run = async () => {
      while (active()) {
        const first = Number(p.log[0]?.offset ?? p.next)
        const committed = Math.max(group.offsets.get(slot) ?? 0, first)
        const message = p.log[committed - first]
        if (!message) {
          await new Promise<void>((resolve) => {
            signal = resolve
          })
          signal = undefined
          continue
        }
        const waiting = p.log.slice(committed - first, committed - first + MAX_BATCH)
        if (member.batchHandler && waiting.length > 1 && committed >= aloneUntil) {
          const ctx = { group: group.name, logger, active }
          if (await deliverBatch(waiting, member.batchHandler, ctx)) {
            const last = waiting[waiting.length - 1] as BusMessage
            group.offsets.set(slot, Number(last.offset) + 1)
            trim(name, partition)
            continue
          }
          aloneUntil = committed + waiting.length
        }
        const outcome = await deliver(message, member.handler, {
          group: group.name,
          policy,
          logger,
          active,
          publishDeadLetter: async (dlq, m, error) =>
            append(dlq, [
              { key: m.key, value: m.value, headers: deadLetterHeaders(m, group.name, error) },
            ]),
        })
        if (outcome === 'abandoned' || !active()) break
        group.offsets.set(slot, Number(message.offset) + 1)
        trim(name, partition)
      }
      worker.running = false
    }
    void run()
    return worker
  }

  // Drop what every group has committed, so a long-running embedded process does not grow.
  function trim(name: string, partition: number) {
    const p = topic(name).partitions[partition] as Partition
    let min = p.next
    const slot = `${name}#${partition}`
    for (const g of groups.values()) {
      const interested = g.offsets.has(slot) || g.members.some((m) => m.topics.has(name))
      if (interested) min = Math.min(min, g.offsets.get(slot) ?? 0)
    }
    const first = Number(p.log[0]?.offset ?? p.next)
    if (min > first) p.log.splice(0, min - first)
  }

  return {
    async publish(name, messages) {
      if (closed) throw new Error('bus is closed')
      append(name, messages)
    },
    async subscribe({ group: name, topics: names, handler, batchHandler }: SubscribeOptions) {
      if (closed) throw new Error('bus is closed')
      let group = groups.get(name)
      if (!group) {
        group = { name, members: [], offsets: new Map(), workers: new Map() }
        groups.set(name, group)
      }
      for (const n of names) topic(n)
      const member: Member = {
        id: ++memberIds,
        handler,
        batchHandler,
        topics: new Set(names),
        closed: false,
      }
      group.members.push(member)
      assign(group)
      const g = group
      return {
        async close() {
          member.closed = true
          g.members = g.members.filter((m) => m !== member)
          for (const w of g.workers.values()) if (w.member === member) w.wake()
          assign(g)
        },
      }
    },
    async ensureTopics(names) {
      for (const n of names) topic(n)
    },
    async ping() {
      if (closed) throw new Error('bus is closed')
    },
    async close() {
      closed = true
      for (const g of groups.values()) for (const w of g.workers.values()) w.wake()
    },
  }
}
