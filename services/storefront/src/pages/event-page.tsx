import type { Event, Ticket } from '../api.ts'
import { tokyoTime } from '../format.ts'
import { Notice, Price, TicketBadge } from './components.tsx'

export type EventPageProps = {
  event: Event
  tickets: Ticket[]
  /** Sales stopped: the event started, or is cancelled or finished. */
  salesEnded: boolean
  next?: string
}

/** One event and its tickets for sale, cheapest first. */
export function EventPage(props: EventPageProps) {
  const { event } = props
  return (
    <>
      <h1>{event.name}</h1>
      <p class="ticket-meta">
        <span>
          {event.venue}, {event.city}
        </span>
        <span>{tokyoTime(event.startsAt)}</span>
      </p>
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
