import type { Order } from '../api.ts'
import { clockText, secondsUntil, tokyoTime, yen } from '../format.ts'
import { ErrorSummary, Notice, OrderBadge, type OrderState, Price } from './components.tsx'
import { PayForm } from './pay-form.tsx'

export type OrderPageProps = {
  order: Order
  now: Date
  /** The buyer just paid and the order is still being confirmed. */
  confirming: boolean
  stripeKey?: string
  nonce?: string
  notice?: string
  errors?: string[]
  tokenError?: string
  /** The card token last tried, to keep it chosen. */
  token?: string
  /** A paid order's delivery, as the buyer may see it. */
  delivery?: OrderDelivery
  /** What the buyer last wrote in the claim form, kept when it was refused. */
  claimForm?: { reason?: string; details?: string }
}

export type OrderDelivery =
  | { kind: 'code' | 'url'; value: string }
  | { kind: 'file' }
  | { kind: 'pending' }

function DeliveryDetails(props: { orderId: string; delivery: OrderDelivery }) {
  const d = props.delivery
  return (
    <section>
      <h2>Your ticket</h2>
      {d.kind === 'code' ? (
        <p>
          Transfer code: <code class="delivery-code">{d.value}</code>
        </p>
      ) : d.kind === 'url' ? (
        <p>
          <a href={d.value} rel="noopener noreferrer nofollow">
            Open your ticket
          </a>
        </p>
      ) : d.kind === 'file' ? (
        <p>
          <a class="button" href={`/orders/${props.orderId}/ticket`}>
            Download your ticket
          </a>
        </p>
      ) : (
        <p role="status">
          The seller has not added the delivery yet. If they do not before the deadline, your
          payment is refunded in full.
        </p>
      )}
    </section>
  )
}

const CLAIM_REASONS = ['not received', 'invalid', 'not as described'] as const

/** The buyer guarantee: a paid order's claim as it stands, or the form to open one. */
function Claim(props: { order: Order; form?: { reason?: string; details?: string } }) {
  const { claim } = props.order
  if (claim?.status === 'open') {
    return (
      <p role="status">
        You opened a claim ({claim.reason}) on {tokyoTime(claim.openedAt)}. The seller is not paid
        until we have looked into it.
      </p>
    )
  }
  if (claim?.status === 'resolved') {
    return claim.outcome === 'refund' ? (
      <p>Your claim was accepted: the order is refunded.</p>
    ) : (
      <p>Your claim was looked into and closed; the seller has been paid.</p>
    )
  }
  if (props.order.refundedAt) return null
  const chosen = props.form?.reason ?? 'not received'
  return (
    <>
      <h2>Something wrong?</h2>
      <form method="post" action={`/orders/${props.order.id}/claim`} class="stack">
        <fieldset>
          <legend>Open a claim</legend>
          {CLAIM_REASONS.map((reason) => (
            <label>
              <input type="radio" name="reason" value={reason} checked={reason === chosen} />{' '}
              {reason[0]?.toUpperCase()}
              {reason.slice(1)}
            </label>
          ))}
        </fieldset>
        <label>
          What happened (optional)
          <textarea name="details" maxlength={1000} rows={3}>
            {props.form?.details ?? ''}
          </textarea>
        </label>
        <button type="submit" class="secondary">
          Open a claim
        </button>
      </form>
    </>
  )
}

export function orderState(order: Order, now: Date): OrderState {
  return order.status === 'created' && secondsUntil(order.expiresAt, now) === 0
    ? 'expired'
    : order.status
}

// Counts down from what the server rendered, on the browser's monotonic clock, so a skewed
// device clock changes nothing; at zero the pay button is switched off.
const countdownScript = `
(() => {
  const timer = document.getElementById('countdown')
  if (!timer) return
  const end = performance.now() + Number(timer.dataset.remaining) * 1000
  const pad = (n) => String(n).padStart(2, '0')
  const tick = () => {
    const left = Math.max(0, Math.ceil((end - performance.now()) / 1000))
    const h = Math.floor(left / 3600), m = Math.floor((left % 3600) / 60), s = left % 60
    timer.textContent = h > 0 ? h + ':' + pad(m) + ':' + pad(s) : m + ':' + pad(s)
    if (left > 0) return
    clearInterval(interval)
    document.getElementById('hold').classList.add('ended')
    document.getElementById('hold-ended').hidden = false
    for (const button of document.querySelectorAll('[data-pay]')) button.disabled = true
  }
  const interval = setInterval(tick, 1000)
})()
`

function Hold(props: { order: Order; now: Date; nonce?: string }) {
  const seconds = secondsUntil(props.order.expiresAt, props.now)
  return (
    <>
      <div class="hold" id="hold">
        <span>Held for you for</span>
        <time
          class="timer"
          id="countdown"
          role="timer"
          data-remaining={String(seconds)}
          datetime={`PT${seconds}S`}
        >
          {clockText(seconds)}
        </time>
        <span>Pay before {tokyoTime(props.order.expiresAt)}, or the ticket goes back on sale.</span>
        <p id="hold-ended" role="alert" hidden>
          The hold has ended; the ticket is going back on sale.
        </p>
      </div>
      <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: countdownScript }} />
    </>
  )
}

function Outcome(props: { state: OrderState; order: Order; confirming: boolean }) {
  if (props.confirming) {
    return <p role="status">Payment received. Confirming your ticket…</p>
  }
  switch (props.state) {
    case 'complete':
      return props.order.refundedAt ? (
        <p>The seller did not deliver the ticket in time: your payment was refunded in full.</p>
      ) : (
        <p>Paid. The ticket is yours.</p>
      )
    case 'expired':
      return <p>The hold ended before payment; the ticket is going back on sale.</p>
    case 'cancelled':
      return props.order.refundedAt ? (
        <p>This order was cancelled and your payment was refunded.</p>
      ) : (
        <p>This order was cancelled.</p>
      )
    default:
      return null
  }
}

export function OrderPage(props: OrderPageProps) {
  const { order } = props
  const state = orderState(order, props.now)
  const payable = state === 'created' && !props.confirming
  return (
    <>
      <p>
        <a href="/orders">← My orders</a>
      </p>
      <article class="panel narrow">
        {props.notice ? <Notice>{props.notice}</Notice> : null}
        <h1>{order.ticket.title}</h1>
        <p class="ticket-meta">
          <Price amount={order.ticket.price} big /> <OrderBadge state={state} />
        </p>
        <Amounts order={order} />
        <Outcome state={state} order={order} confirming={props.confirming} />
        {props.delivery ? <DeliveryDetails orderId={order.id} delivery={props.delivery} /> : null}
        <ErrorSummary errors={props.errors ?? []} />
        {payable ? (
          <>
            <Hold order={order} now={props.now} nonce={props.nonce} />
            <h2>Pay</h2>
            <PayForm
              orderId={order.id}
              price={order.total ?? order.ticket.price}
              stripeKey={props.stripeKey}
              error={props.tokenError}
              token={props.token}
              nonce={props.nonce}
            />
            <form method="post" action={`/orders/${order.id}/cancel`} class="actions">
              <button type="submit" class="secondary">
                Cancel order
              </button>
            </form>
          </>
        ) : null}
        {state === 'complete' && !props.confirming ? (
          <Claim order={order} form={props.claimForm} />
        ) : null}
        <h2>Details</h2>
        <p class="hint">
          Order {order.id}
          <br />
          Placed {tokyoTime(order.createdAt)} ·{' '}
          <a href={`/tickets/${order.ticket.id}`}>View the ticket</a>
        </p>
      </article>
    </>
  )
}

/** What the buyer pays: the ticket's price, the service fee, and the total charged. */
function Amounts(props: { order: Order }) {
  const { order } = props
  const price = order.price ?? order.ticket.price
  const fee = order.buyerFee ?? 0
  return (
    <p class="hint" id="amounts">
      Ticket {yen(price)} · Service fee {yen(fee)} ·{' '}
      <strong>Total {yen(order.total ?? price)}</strong>
    </p>
  )
}
