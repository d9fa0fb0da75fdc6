import { tokyoTime } from '../format.ts'
import { Notice, Price } from './components.tsx'

export type Payout = {
  id: string
  orderId: string
  amount: number
  status: 'scheduled' | 'held' | 'blocked' | 'paid' | 'reversed' | 'cancelled'
  reason: string | null
  dueAt: string
  paidAt: string | null
}

const labels: Record<Payout['status'], string> = {
  scheduled: 'Scheduled',
  held: 'Held: a claim is open',
  blocked: 'Blocked: finish setting up payouts',
  paid: 'Paid',
  reversed: 'Reversed',
  cancelled: 'Cancelled: refunded to the buyer',
}

/** The seller's sold tickets: what each pays them, when, and how far it has got. */
export function SalesPage(props: { payouts: Payout[]; notice?: string }) {
  return (
    <>
      <h1>My sales</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <p class="hint">
        You are paid the price less the seller fee, a few days after the event ends, through Stripe.
        Payouts wait until your payout account is set up.
      </p>
      <form method="post" action="/sales/onboard" class="actions">
        <button type="submit">Set up payouts</button>
      </form>
      {props.payouts.length === 0 ? (
        <p class="empty">Nothing sold yet.</p>
      ) : (
        <ul class="orders">
          {props.payouts.map((payout) => (
            <li class="card">
              <div class="meta">
                <Price amount={payout.amount} />
                <span class={`badge ${payout.status}`}>{labels[payout.status]}</span>
                <span>
                  {payout.paidAt
                    ? `Paid ${tokyoTime(payout.paidAt)}`
                    : `Due ${tokyoTime(payout.dueAt)}`}
                </span>
              </div>
              <p class="hint">Order {payout.orderId}</p>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
