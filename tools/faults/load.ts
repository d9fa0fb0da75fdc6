import { delay } from '../lib/processes.ts'
import { type Answer, type Call, type CallOptions, transient } from './client.ts'

export type User = { id: string; token: string }

/** What the API promised the load: every order a 201 created and every payment a 201 took. */
export type Ledger = {
  orders: Map<string, { ticketId: string }>
  payments: Map<string, { orderId: string }>
  /** How buyer journeys ended. */
  journeys: Record<string, number>
  /** Requests whose key a killed process left "in progress": what the patient retry got, when. */
  recoveries: { op: string; status: number; seconds: number }[]
  /** Users who finished payouts onboarding: their sales are paid out (PAYOUT_DELAY_DAYS=0). */
  onboarded: number
}

export type LoadOptions = {
  call: Call
  /** Journeys running at the same time. */
  concurrency: number
  holdSeconds: number
}

const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)] as T
const uuid = () => crypto.randomUUID()

/**
 * Sends `call` again while the answer is transient (no answer, a 5xx) or `again` says so, like a
 * patient client: same request, same key.
 */
export async function persist(
  call: Call,
  method: string,
  path: string,
  options: CallOptions,
  retry: { tries: number; waitMs: number; again?: (a: Answer) => boolean },
): Promise<Answer> {
  // Every attempt is one logical request: a failure after its fault ended still belongs to it.
  const attempt = { ...options, fault: options.fault ?? call.stats.fault }
  let answer = await call(method, path, attempt)
  for (let i = 1; i < retry.tries && (transient(answer) || retry.again?.(answer)); i++) {
    await delay(retry.waitMs)
    answer = await call(method, path, attempt)
  }
  return answer
}

export const IN_PROGRESS = 'A request with this Idempotency-Key is in progress'

export async function signUp(call: Call, name: string): Promise<User | undefined> {
  const email = `${name}-${uuid().slice(0, 12)}@faults.test`
  const res = await persist(
    call,
    'POST',
    '/api/users/signup',
    { body: { email, password: 'correct horse battery' } },
    { tries: 5, waitMs: 500 },
  )
  return res.status === 201 ? { id: res.body.id, token: res.body.token } : undefined
}

/**
 * Payouts onboarding as a seller does it offline: the link from POST /api/payouts/account, then
 * GET it (the offline gateway's stand-in for Stripe's hosted page) with the seller's session.
 */
export async function onboard(call: Call, user: User): Promise<boolean> {
  const retry = { tries: 5, waitMs: 500 }
  const link = await persist(call, 'POST', '/api/payouts/account', { token: user.token }, retry)
  if (link.status !== 200 || typeof link.body?.url !== 'string') return false
  const done = await persist(call, 'GET', link.body.url, { token: user.token }, retry)
  return done.status === 200 && done.body?.payoutsEnabled === true
}

/**
 * A steady mixed load through the ingress: sign-ups, listings and edits, browsing, and buyer
 * journeys (order, then pay, be declined and pay, be declined only, cancel, or let the hold
 * expire), `concurrency` at a time, until `stop`.
 */
export function startLoad(o: LoadOptions) {
  const { call } = o
  const ledger: Ledger = {
    orders: new Map(),
    payments: new Map(),
    journeys: {},
    recoveries: [],
    onboarded: 0,
  }
  const users: User[] = []
  /** Tickets this load listed that nobody is buying right now, with their seller. */
  const forSale: { id: string; seller: string }[] = []
  let stopped = false
  const ended = (how: string) => {
    ledger.journeys[how] = (ledger.journeys[how] ?? 0) + 1
  }

  const recoveries: Promise<void>[] = []
  /**
   * A request whose process was killed mid-way leaves its Idempotency-Key "in progress". A patient
   * client keeps retrying it, now and then, until the service lets the key run again; meanwhile
   * the journey goes on without it.
   */
  function recover(method: string, path: string, options: CallOptions, done: (a: Answer) => void) {
    const started = Date.now()
    const attempt = { ...options, fault: options.fault ?? call.stats.fault }
    const task = (async () => {
      let answer: Answer
      for (;;) {
        await delay(5000)
        // "In progress" is the answer to wait for; after three minutes it is a failure.
        const last = Date.now() - started > 175_000
        answer = await call(method, path, {
          ...attempt,
          expected: last ? attempt.expected : [...(attempt.expected ?? []), 409],
        })
        const waiting =
          (answer.status === 409 && answer.reason === IN_PROGRESS) || transient(answer)
        if (!waiting || last) break
      }
      const seconds = Math.round((Date.now() - started) / 1000)
      ledger.recoveries.push({ op: `${method} ${path}`, status: answer.status, seconds })
      done(answer)
    })()
    recoveries.push(task)
  }

  async function join() {
    const user = await signUp(call, 'load')
    if (!user) return
    // Every user may sell: onboarded, their sales are paid out while the faults go on.
    if (await onboard(call, user)) ledger.onboarded++
    users.push(user)
  }

  async function list() {
    const seller = pick(users)
    const price = 50 + Math.floor(Math.random() * 20_000)
    const res = await persist(
      call,
      'POST',
      '/api/tickets',
      { body: { title: `Fault-suite seat ${price}`, price }, token: seller.token },
      { tries: 3, waitMs: 500 },
    )
    if (res.status !== 201) return
    if (Math.random() < 0.2) {
      // An edit right after listing races with nothing; later edits may meet a reservation.
      await call('PUT', `/api/tickets/${res.body.id}`, {
        body: { price: price + 100 },
        token: seller.token,
        expected: [400],
      })
    }
    forSale.push({ id: res.body.id, seller: seller.id })
  }

  async function browse() {
    await call('GET', '/api/tickets?limit=20')
    const user = pick(users)
    await call('GET', '/api/orders', { token: user.token })
  }

  /** Orders a ticket; 404 until orders has heard of it, 400 when someone else holds it. */
  async function order(buyer: User, ticketId: string): Promise<string | undefined> {
    const options: CallOptions = {
      body: { ticketId },
      token: buyer.token,
      idempotencyKey: uuid(),
      expected: [400, 404],
      fault: call.stats.fault,
    }
    const res = await persist(call, 'POST', '/api/orders', options, {
      tries: 40,
      waitMs: 300,
      again: (a) => a.status === 404,
    })
    if (res.status === 409 && res.reason === IN_PROGRESS) {
      recover('POST', '/api/orders', options, (a) => {
        if (a.status === 201) ledger.orders.set(a.body.id, { ticketId })
      })
    }
    if (res.status !== 201) {
      ended(res.status === 400 ? 'ticket taken' : `order not placed (${res.status} ${res.reason})`)
      return undefined
    }
    ledger.orders.set(res.body.id, { ticketId })
    return res.body.id
  }

  /** Pays; 404 until payments has heard of the order. */
  async function pay(buyer: User, orderId: string, card: string): Promise<Answer> {
    const options: CallOptions = {
      body: { orderId, token: card },
      token: buyer.token,
      idempotencyKey: uuid(),
      expected: [400, 402, 404],
      fault: call.stats.fault,
    }
    const paid = (a: Answer) => {
      if (a.status === 201 && a.body.status === 'succeeded') {
        ledger.payments.set(a.body.id, { orderId })
      }
    }
    const res = await persist(call, 'POST', '/api/payments', options, {
      tries: 30,
      waitMs: 300,
      again: (a) => a.status === 404,
    })
    if (res.status === 409 && res.reason === IN_PROGRESS) {
      recover('POST', '/api/payments', options, paid)
    }
    paid(res)
    return res
  }

  async function buy() {
    const buyer = pick(users)
    const i = forSale.findIndex((t) => t.seller !== buyer.id)
    if (i < 0) return list()
    const [ticket] = forSale.splice(i, 1)
    if (!ticket) return
    const orderId = await order(buyer, ticket.id)
    if (!orderId) {
      // Taken by a race or still held: offer it again once a hold would have ended.
      setTimeout(() => forSale.push(ticket), (o.holdSeconds + 2) * 1000)
      return
    }
    const roll = Math.random()
    let sold = false
    if (roll < 0.55) {
      sold = (await pay(buyer, orderId, 'tok_visa')).status === 201
      ended(sold ? 'paid' : 'payment refused')
    } else if (roll < 0.65) {
      await pay(buyer, orderId, 'tok_chargeDeclined')
      sold = (await pay(buyer, orderId, 'tok_visa')).status === 201
      ended(sold ? 'declined, then paid' : 'declined, then refused')
    } else if (roll < 0.7) {
      await pay(buyer, orderId, 'tok_chargeDeclined')
      ended('declined, left to expire')
    } else if (roll < 0.8) {
      const res = await persist(
        call,
        'DELETE',
        `/api/orders/${orderId}`,
        { token: buyer.token, expected: [400] },
        { tries: 3, waitMs: 500 },
      )
      ended(res.status === 204 ? 'cancelled' : `cancel refused (${res.status})`)
    } else {
      ended('left to expire')
    }
    if (!sold) setTimeout(() => forSale.push(ticket), (o.holdSeconds + 2) * 1000)
  }

  async function worker() {
    while (!stopped) {
      const roll = Math.random()
      try {
        if (users.length < 4 || roll < 0.08) await join()
        else if (roll < 0.3 || forSale.length < 3) await list()
        else if (roll < 0.85) await buy()
        else await browse()
      } catch (err) {
        ended(`load error: ${err instanceof Error ? err.message : String(err)}`)
      }
      await delay(50 + Math.random() * 150)
    }
  }

  const workers = Array.from({ length: o.concurrency }, () => worker())
  return {
    ledger,
    users,
    /** Stops starting journeys and waits for the running ones (and recoveries) to end. */
    async stop() {
      stopped = true
      await Promise.all(workers)
      await Promise.all(recoveries)
    },
  }
}

export type Load = ReturnType<typeof startLoad>
