import RequestQueue from 'kafkajs/src/network/requestQueue/index.js'

/** kafkajs's own delay before looking again at requests held back by a throttle that just ended. */
const CHECK_PENDING_REQUESTS_INTERVAL = 10

type Queue = {
  pending: unknown[]
  throttledUntil: number
  throttleCheckTimeoutId: ReturnType<typeof setTimeout> | null
  checkPendingRequests(): void
}

/**
 * kafkajs 2.2.4's request queue arms a timer after every look at its pending requests, even when
 * none wait; with no throttle the delay is negative, so every broker connection (the producer's,
 * each consumer's, the admin's) runs a timer loop about once a millisecond for as long as it is
 * open (tulios/kafkajs#1556, #1704, still open). It was a sixth of the orders process's busy time
 * in the flash-sale benchmark, idle or not. This puts in the fix proposed upstream (#1667): a look
 * is scheduled only while requests wait, when the throttle ends (or shortly, if it just did). A
 * request that cannot go at once is queued by `push`, which schedules the look; a reply looks at
 * once. Applied only where the method still has the loop, so an upgraded kafkajs is left alone.
 */
export function stopIdleRequestQueueLoop(): boolean {
  const proto = RequestQueue.prototype as unknown as Queue & {
    scheduleCheckPendingRequests(this: Queue): void
  }
  const source = String(proto.scheduleCheckPendingRequests)
  if (!source.includes('this.throttledUntil - Date.now()') || source.includes('twtix')) return false
  proto.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: Queue) {
    // twtix: no timer unless requests wait (see stopIdleRequestQueueLoop).
    if (this.throttleCheckTimeoutId || this.pending.length === 0) return
    const untilUnthrottled = this.throttledUntil - Date.now()
    this.throttleCheckTimeoutId = setTimeout(
      () => {
        this.throttleCheckTimeoutId = null
        this.checkPendingRequests()
      },
      untilUnthrottled > 0 ? untilUnthrottled : CHECK_PENDING_REQUESTS_INTERVAL,
    )
  }
  return true
}
