import RequestQueue from 'kafkajs/src/network/requestQueue/index.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { stopIdleRequestQueueLoop } from './kafkajs-request-queue.ts'

type Queue = {
  pending: { send(): void }[]
  throttledUntil: number
  throttleCheckTimeoutId: unknown
  checkPendingRequests(): void
  scheduleCheckPendingRequests(): void
  destroy(): void
}

const silent = { debug() {}, info() {}, warn() {}, error() {} }
const queues: Queue[] = []

function queue(): Queue {
  const q = new RequestQueue({
    maxInFlightRequests: null,
    requestTimeout: 30_000,
    enforceRequestTimeout: false,
    clientId: 'twtix-test',
    broker: '127.0.0.1:9092',
    logger: silent,
  }) as unknown as Queue
  queues.push(q)
  return q
}

/** A request the queue holds back; it counts how often it is sent. */
function held() {
  const request = { sent: 0, correlationId: 1, expectResponse: true, send: () => request.sent++ }
  return request
}

stopIdleRequestQueueLoop()

afterEach(() => {
  for (const q of queues.splice(0)) q.destroy()
  vi.useRealTimers()
})

describe("kafkajs's request queue, patched", () => {
  it('arms no timer when no request waits (kafkajs 2.2.4 loops every millisecond)', () => {
    const q = queue()

    q.checkPendingRequests()

    expect(q.throttleCheckTimeoutId).toBeNull()
  })

  it('sends a request held back by a throttle once the throttle ends, and then stops', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const q = queue()
    const request = held()
    q.throttledUntil = Date.now() + 50
    q.pending.push(request)

    q.scheduleCheckPendingRequests()
    vi.advanceTimersByTime(49)
    expect(request.sent).toBe(0)
    vi.advanceTimersByTime(1)

    expect(request.sent).toBe(1)
    expect(q.pending).toEqual([])
    expect(q.throttleCheckTimeoutId).toBeNull()
  })

  it('looks again shortly when the throttle has just ended', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const q = queue()
    const request = held()
    q.throttledUntil = Date.now()
    q.pending.push(request)

    q.scheduleCheckPendingRequests()
    vi.advanceTimersByTime(10)

    expect(request.sent).toBe(1)
  })

  it('is applied once', () => {
    expect(stopIdleRequestQueueLoop()).toBe(false)
  })
})
