import type { EachBatchPayload } from 'kafkajs'
import type { Logger } from '../logger.ts'

/** Longest a handled message waits for its offset to be committed. */
export const COMMIT_INTERVAL_MS = 100

type Commit = EachBatchPayload['commitOffsetsIfNecessary']

type PartitionCommits = {
  topic: string
  partition: number
  /** When an offset of this partition was last sent to the broker. */
  lastSent: number
  /** The offset after the last message handled and not yet sent, and the batch's way to send it. */
  pending?: { offset: string; commit: Commit }
  timer?: ReturnType<typeof setTimeout>
}

export type OffsetCommits = ReturnType<typeof offsetCommits>

/**
 * The offsets one subscription commits, sent at most once per `intervalMs` per topic-partition
 * across batches. Under a steady trickle a batch holds one or two messages, and a commit per batch
 * was an OffsetCommit request per message and group: now a batch that ends less than `intervalMs`
 * after the partition's last commit leaves its offset pending, and one timer sends the latest
 * pending offset when the interval is up. A pending offset only grows and is taken (sent or
 * dropped) once, so a late timer never sends an older offset after a newer one. A pending offset
 * lost (a failed commit, a rebalance) loses nothing: its messages are delivered again, and the
 * handlers' processed-event records make that harmless.
 */
export function offsetCommits(o: { logger: Logger; intervalMs?: number; now?: () => number }) {
  const intervalMs = o.intervalMs ?? COMMIT_INTERVAL_MS
  const now = o.now ?? Date.now
  const partitions = new Map<string, PartitionCommits>()
  const stateOf = (topic: string, partition: number) => {
    const key = `${topic}:${partition}`
    let state = partitions.get(key)
    if (!state) {
      state = { topic, partition, lastSent: Number.NEGATIVE_INFINITY }
      partitions.set(key, state)
    }
    return state
  }

  const forget = (state: PartitionCommits) => {
    clearTimeout(state.timer)
    state.timer = undefined
    state.pending = undefined
  }

  async function send(state: PartitionCommits) {
    const { topic, partition, pending } = state
    forget(state)
    if (!pending) return
    state.lastSent = now()
    await pending.commit({
      topics: [{ topic, partitions: [{ partition, offset: pending.offset }] }],
    })
  }

  // The broker refused or could not be reached (a rebalance, this member gone, a closed
  // consumer): whoever owns the partition next is delivered its messages again.
  const sendLogged = (state: PartitionCommits) =>
    send(state).catch((error) => {
      const { topic, partition } = state
      o.logger.warn('offset not committed; its messages will be delivered again', {
        topic,
        partition,
        error,
      })
    })

  return {
    /** The partition's messages before `offset` are handled; `commit` (the batch's) can send it. */
    handled(topic: string, partition: number, offset: string, commit: Commit) {
      const state = stateOf(topic, partition)
      if (state.pending && BigInt(state.pending.offset) >= BigInt(offset)) return
      state.pending = { offset, commit }
    },

    /** Sends the partition's pending offset now, if there is one. */
    commitNow: (topic: string, partition: number) => send(stateOf(topic, partition)),

    /** Sends the pending offset now if the partition's last commit is `intervalMs` old, else then. */
    async commitSoon(topic: string, partition: number) {
      const state = stateOf(topic, partition)
      if (!state.pending || state.timer) return
      const wait = state.lastSent + intervalMs - now()
      if (wait <= 0) return send(state)
      state.timer = setTimeout(() => void sendLogged(state), wait)
    },

    /** Forgets the partition's pending offset: its messages are delivered again. */
    drop: (topic: string, partition: number) => forget(stateOf(topic, partition)),

    /**
     * Forgets every pending offset. After a rebalance a partition may be another member's, whose
     * committed offset the broker would let a late commit of this member move backwards.
     */
    dropAll() {
      for (const state of partitions.values()) forget(state)
    },

    /** Sends every pending offset now and leaves no timer behind (closing). */
    async flush() {
      await Promise.all([...partitions.values()].map(sendLogged))
    },
  }
}
