import type { EachBatchPayload } from 'kafkajs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { memoryLogger } from '../logger.ts'
import { COMMIT_INTERVAL_MS, offsetCommits } from './kafka-commits.ts'
import { partitionRunner } from './kafka-partition.ts'
import type { BusMessage } from './port.ts'

const topic = 'orders'
const partition = 3

// One subscription's runner, with a handler and a closing flag the test controls.
function setup(handle: (m: BusMessage) => Promise<void> = async () => {}) {
  const logger = memoryLogger()
  const commits = offsetCommits({ logger })
  const state = { closing: false }
  const sent: string[] = []
  let failNext = false
  const eachBatch = partitionRunner({
    group: 'g',
    handler: handle,
    policy: { maxAttempts: 1, backoffMs: () => 0 },
    logger,
    heartbeatInterval: 1000,
    publishDeadLetter: async () => {},
    commits,
    closing: () => state.closing,
  })
  // kafkajs's payload for one fetched batch of the partition, recording each OffsetCommit.
  const batch = (offsets: number[]) =>
    eachBatch({
      batch: {
        topic,
        partition,
        messages: offsets.map((offset) => ({
          offset: String(offset),
          key: Buffer.from('k'),
          value: Buffer.from('v'),
          headers: {},
          timestamp: '0',
          attributes: 0,
        })),
      },
      heartbeat: async () => {},
      isRunning: () => true,
      isStale: () => false,
      resolveOffset: () => {},
      commitOffsetsIfNecessary: async (o?: { topics: { partitions: { offset: string }[] }[] }) => {
        if (failNext) {
          failNext = false
          throw Object.assign(new Error('The group is rebalancing'), {
            type: 'REBALANCE_IN_PROGRESS',
          })
        }
        sent.push(o?.topics[0]?.partitions[0]?.offset ?? 'none')
      },
    } as unknown as EachBatchPayload)
  const failNextCommit = () => {
    failNext = true
  }
  return { batch, commits, sent, state, logger, failNextCommit }
}

const increasing = (offsets: string[]) =>
  offsets.every((o, i) => i === 0 || BigInt(o) > BigInt(offsets[i - 1] as string))

describe('partition runner offset commits', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('commits a trickle of one-message batches once per interval, after the last one handled', async () => {
    const { batch, sent } = setup()
    for (let offset = 0; offset < 10; offset++) {
      await batch([offset])
      await vi.advanceTimersByTimeAsync(5)
    }
    // The first batch finds no recent commit; the other nine wait for one timer.
    expect(sent).toEqual(['1'])
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS)
    expect(sent).toEqual(['1', '10'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('commits at most once per interval under steady traffic, offsets only going forward', async () => {
    const { batch, sent } = setup()
    for (let offset = 0; offset < 100; offset++) {
      await batch([offset])
      await vi.advanceTimersByTimeAsync(7)
    }
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS)
    // 700 ms of traffic: a commit every 100 ms, not one per batch.
    expect(sent.length).toBeGreaterThanOrEqual(7)
    expect(sent.length).toBeLessThanOrEqual(9)
    expect(increasing(sent)).toBe(true)
    expect(sent.at(-1)).toBe('100')
  })

  it('commits at once when a batch stops early, and the timer it replaced sends nothing older', async () => {
    const { batch, sent, state } = setup(async (m) => {
      if (m.offset === '4') state.closing = true
    })
    await batch([0])
    await batch([1, 2])
    expect(sent).toEqual(['1'])
    // Closing while offset 4 is being handled: 3 is committed now, 4 is delivered again.
    await batch([3, 4, 5])
    expect(sent).toEqual(['1', '4'])
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS * 2)
    expect(sent).toEqual(['1', '4'])
  })

  it('keeps the newer pending offset when an older message is handled again', async () => {
    const { batch, sent } = setup()
    await batch([0])
    await batch([5])
    // Fetched again from an older offset (a consumer started anew): delivered again, not moved back.
    await batch([3])
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS)
    expect(sent).toEqual(['1', '6'])
  })

  it('flushes what is pending on close and leaves no timer behind', async () => {
    const { batch, commits, sent } = setup()
    await batch([0])
    await batch([1])
    await batch([2])
    expect(sent).toEqual(['1'])
    expect(vi.getTimerCount()).toBe(1)
    await commits.flush()
    expect(sent).toEqual(['1', '3'])
    expect(vi.getTimerCount()).toBe(0)
  })

  it('logs and drops a pending commit the broker refuses; later batches commit their own', async () => {
    const { batch, sent, logger, failNextCommit } = setup()
    await batch([0])
    await batch([1])
    failNextCommit()
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS)
    expect(sent).toEqual(['1'])
    expect(logger.lines.some((l) => l.includes('offset not committed'))).toBe(true)
    await batch([2])
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS)
    expect(sent).toEqual(['1', '3'])
  })

  it('drops pending offsets on a new generation: the partition may be another member’s', async () => {
    const { batch, commits, sent } = setup()
    await batch([0])
    await batch([1])
    commits.dropAll()
    await vi.advanceTimersByTimeAsync(COMMIT_INTERVAL_MS)
    await commits.flush()
    expect(sent).toEqual(['1'])
  })
})
