import type { Ticket } from '../api.ts'
import { Price, TicketBadge } from './components.tsx'

export type IndexPageProps = { tickets: Ticket[]; nextCursor?: string; firstPage: boolean }

/** The tickets for sale, newest first, a page at a time. */
export function IndexPage(props: IndexPageProps) {
  return (
    <>
      <h1>Tickets for sale</h1>
      {props.tickets.length === 0 ? (
        <p class="empty">
          {props.firstPage ? 'No tickets are for sale right now.' : 'No more tickets.'}{' '}
          <a href="/sell">Sell a ticket</a>
        </p>
      ) : (
        <ul class="tickets">
          {props.tickets.map((ticket) => (
            <li class="card">
              <h2>
                <a href={`/tickets/${ticket.id}`}>{ticket.title}</a>
              </h2>
              <div class="meta">
                <Price amount={ticket.price} />
                <TicketBadge status={ticket.status} />
              </div>
            </li>
          ))}
        </ul>
      )}
      {props.firstPage && !props.nextCursor ? null : (
        <nav class="pager" aria-label="Pages">
          {props.firstPage ? <span /> : <a href="/">← First page</a>}
          {props.nextCursor ? (
            <a rel="next" href={`/?cursor=${encodeURIComponent(props.nextCursor)}`}>
              Next page →
            </a>
          ) : null}
        </nav>
      )}
    </>
  )
}
