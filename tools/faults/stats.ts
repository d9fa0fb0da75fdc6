/** How a request ended, from the load's point of view. */
export type Kind = 'ok' | 'expected' | 'failed'

export type Outcome = {
  /** e.g. `POST /api/orders`. */
  op: string
  /** The HTTP status; 0 when no answer came (connection refused, reset, timeout). */
  status: number
  /** The error message of the body, or the network error's code. */
  reason: string
  kind: Kind
  /** The fault its first attempt met, for a retry answered after that fault ended. */
  fault?: string
}

export type Tally = { op: string; status: number; reason: string; count: number; fault: string }

/**
 * Counts every request the suite sends, by outcome. A failure is filed under the fault being
 * injected when it was answered, else under the one the request it retries first met (or `none`),
 * so failures caused by a SIGKILL or a restart are shown as such and the others stand out.
 */
export function createStats() {
  let fault = 'none'
  let sent = 0
  const byKind: Record<Kind, number> = { ok: 0, expected: 0, failed: 0 }
  const tallies = new Map<string, Tally>()
  return {
    /** Names the fault in progress; `none` between faults. */
    setFault(name: string) {
      fault = name
    },
    get fault() {
      return fault
    },
    record(o: Outcome) {
      sent++
      byKind[o.kind]++
      if (o.kind === 'ok') return
      // The fault in progress when the answer came; else the one its first attempt met.
      const under = fault !== 'none' ? fault : (o.fault ?? fault)
      const key = `${o.kind}|${under}|${o.op}|${o.status}|${o.reason}`
      const tally = tallies.get(key) ?? {
        op: o.op,
        status: o.status,
        reason: o.reason,
        kind: o.kind,
        fault: under,
        count: 0,
      }
      tally.count++
      tallies.set(key, tally)
    },
    get sent() {
      return sent
    },
    get byKind() {
      return { ...byKind }
    },
    /** Grouped outcomes of one kind, most frequent first. */
    tallies(kind: Exclude<Kind, 'ok'>): Tally[] {
      return [...tallies.entries()]
        .filter(([key]) => key.startsWith(`${kind}|`))
        .map(([, t]) => t)
        .sort((a, b) => b.count - a.count)
    },
  }
}

export type Stats = ReturnType<typeof createStats>
