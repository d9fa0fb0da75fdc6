import type { Ticket, User } from '../api.ts'
import { tokyoTime, yen } from '../format.ts'
import { ErrorSummary, IdempotencyKey, Notice, Price, TicketBadge } from './components.tsx'

export type TicketPageProps = {
  ticket: Ticket
  user: User | null
  /** The viewer's own order holding this ticket, if they hold it. */
  myOrderId?: string
  errors?: string[]
  notice?: string
}

function Action(props: TicketPageProps) {
  const { ticket, user } = props
  const own = user?.id === ticket.userId
  if (ticket.status === 'sold') return <p>This ticket has been sold.</p>
  if (ticket.status === 'reserved') {
    if (props.myOrderId) {
      return (
        <p>
          You are holding this ticket. <a href={`/orders/${props.myOrderId}`}>Go to your order</a>{' '}
          to pay for it.
        </p>
      )
    }
    return own ? (
      <p>A buyer is holding your ticket while they pay; it cannot be edited until the hold ends.</p>
    ) : (
      <p>
        Another buyer is holding this ticket while they pay. If they do not pay in time, it goes
        back on sale.
      </p>
    )
  }
  if (own) {
    return (
      <p>
        This is your ticket.{' '}
        <a class="button secondary" href={`/tickets/${ticket.id}/edit`}>
          Edit ticket
        </a>
      </p>
    )
  }
  if (!user) {
    return (
      <a class="button wide" href={`/signin?next=${encodeURIComponent(`/tickets/${ticket.id}`)}`}>
        Sign in to buy
      </a>
    )
  }
  return (
    <form method="post" action={`/tickets/${ticket.id}/buy`}>
      <IdempotencyKey />
      <button type="submit" class="wide">
        Buy for {yen(ticket.price)}
      </button>
      <p class="hint">We hold the ticket for you while you pay.</p>
    </form>
  )
}

/** The seller's own ticket: whether the buyer's delivery is there, and where to add it. */
function SellerDelivery(props: { ticket: Ticket }) {
  const ready = props.ticket.delivery === 'ready'
  return (
    <p class={ready ? undefined : 'alert'}>
      {ready ? 'Delivery ready.' : 'Delivery pending.'}{' '}
      <a href={`/tickets/${props.ticket.id}/delivery`}>
        {ready ? 'Change the delivery details' : 'Add the delivery details'}
      </a>
    </p>
  )
}

export function TicketPage(props: TicketPageProps) {
  const { ticket } = props
  const own = props.user?.id === ticket.userId
  return (
    <>
      <p>
        <a href="/">← All tickets</a>
      </p>
      <article class="panel">
        {props.notice ? <Notice>{props.notice}</Notice> : null}
        <h1>{ticket.title}</h1>
        <p class="ticket-meta">
          <Price amount={ticket.price} big /> <TicketBadge status={ticket.status} />
        </p>
        {ticket.faceValue !== null ? <p class="hint">Face value {yen(ticket.faceValue)}</p> : null}
        {ticket.section || ticket.row || ticket.seat ? (
          <p>
            {[
              ticket.section && `Section ${ticket.section}`,
              ticket.row && `Row ${ticket.row}`,
              ticket.seat && `Seat ${ticket.seat}`,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        ) : null}
        {ticket.eventId ? (
          <p>
            <a href={`/events/${ticket.eventId}`}>The event and its other tickets</a>
          </p>
        ) : null}
        <p class="hint listed">Listed {tokyoTime(ticket.createdAt)}</p>
        <ErrorSummary errors={props.errors ?? []} />
        {own && ticket.delivery ? <SellerDelivery ticket={ticket} /> : null}
        <Action {...props} />
      </article>
    </>
  )
}
