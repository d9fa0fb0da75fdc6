/** Time is a dependency: production passes `systemClock`, tests pass a clock they move. */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()

export type ManualClock = Clock & { advance(ms: number): void; set(at: Date): void }

export function manualClock(start = new Date('2026-01-01T00:00:00Z')): ManualClock {
  let now = start.getTime()
  const clock = (() => new Date(now)) as ManualClock
  clock.advance = (ms) => {
    now += ms
  }
  clock.set = (at) => {
    now = at.getTime()
  }
  return clock
}
