import type { Event, Ticket } from '../api.ts'
import { tokyoTime } from '../format.ts'
import { ErrorSummary, Notice, Price, TicketBadge } from './components.tsx'

export type EventPageProps = {
  event: Event
  tickets: Ticket[]
  /** Sales stopped: the event started, or is cancelled or finished. */
  salesEnded: boolean
  next?: string
  /** The visitor is an admin: the page offers to postpone or cancel the event. */
  admin?: boolean
  notice?: string
  errors?: string[]
}

/** An admin's controls: new times for the event, or its cancellation. */
function AdminPanel(props: { event: Event }) {
  const { event } = props
  if (event.status === 'cancelled' || event.status === 'finished') return null
  return (
    <section class="panel narrow">
      <h2>Admin</h2>
      <form method="post" action={`/events/${event.id}/postpone`} class="stack">
        <label>
          New start (Japan time)
          <input type="datetime-local" name="startsAt" required />
        </label>
        <label>
          New end (optional)
          <input type="datetime-local" name="endsAt" />
        </label>
        <button type="submit" class="secondary">
          Postpone the event
        </button>
      </form>
      <form method="post" action={`/events/${event.id}/cancel`} class="actions">
        <button type="submit" class="secondary">
          Cancel the event (refunds every paid order)
        </button>
      </form>
    </section>
  )
}

/** One event and its tickets for sale, cheapest first. */
export function EventPage(props: EventPageProps) {
  const { event } = props
  return (
    <>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary errors={props.errors ?? []} />
      <h1>{event.name}</h1>
      {event.status === 'cancelled' ? <Notice>This event has been cancelled.</Notice> : null}
      {event.status === 'postponed' ? <Notice>This event has been postponed.</Notice> : null}
      <p class="ticket-meta">
        <span>
          {event.venue}, {event.city}
        </span>
        <span>{tokyoTime(event.startsAt)}</span>
      </p>
      {props.admin ? <AdminPanel event={event} /> : null}
      {props.salesEnded ? (
        <Notice>Sales for this event have ended.</Notice>
      ) : (
        <p>
          <a class="button secondary" href={`/sell?eventId=${event.id}`}>
            Sell a ticket for this event
          </a>
        </p>
      )}
      {props.tickets.length === 0 ? (
        props.salesEnded ? null : (
          <p class="empty">No tickets for sale yet.</p>
        )
      ) : (
        <table class="listings">
          <caption>Tickets for sale, cheapest first</caption>
          <thead>
            <tr>
              <th scope="col">Price</th>
              <th scope="col">Section</th>
              <th scope="col">Row</th>
              <th scope="col">Seat</th>
              <th scope="col">
                <span class="visually-hidden">Ticket</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.tickets.map((t) => (
              <tr>
                <td>
                  <Price amount={t.price} /> <TicketBadge status={t.status} />
                </td>
                <td>{t.section ?? '–'}</td>
                <td>{t.row ?? '–'}</td>
                <td>{t.seat ?? '–'}</td>
                <td>
                  <a href={`/tickets/${t.id}`}>View</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.next ? (
        <nav class="pager" aria-label="Pages">
          <a href={`/events/${event.id}`}>← Cheapest</a>
          <a rel="next" href={props.next}>
            More tickets →
          </a>
        </nav>
      ) : null}
    </>
  )
}
