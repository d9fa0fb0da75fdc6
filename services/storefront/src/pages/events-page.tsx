import type { Event } from '../api.ts'
import { tokyoTime } from '../format.ts'
import { Field } from './components.tsx'

export type EventSearch = { q: string; city: string; from: string; to: string }

export type EventsPageProps = {
  events: Event[]
  search: EventSearch
  /** The next page's URL, when there is one. */
  next?: string
  errors?: string[]
}

/** Find an event: words, a city, a date range; soonest first. */
export function EventsPage(props: EventsPageProps) {
  const { search } = props
  return (
    <>
      <h1>Events</h1>
      <form method="get" action="/events" class="search">
        <Field name="q" label="Artist, event or venue" value={search.q} />
        <Field name="city" label="City" value={search.city} />
        <Field name="from" label="From (YYYY-MM-DD)" value={search.from} />
        <Field name="to" label="To (YYYY-MM-DD)" value={search.to} />
        <div class="actions">
          <button type="submit">Search</button>
        </div>
      </form>
      {props.errors && props.errors.length > 0 ? (
        <div class="alert" role="alert">
          <ul>
            {props.errors.map((m) => (
              <li>{m}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.events.length === 0 ? (
        <p class="empty">
          No events found. <a href="/events/new">Add an event</a>
        </p>
      ) : (
        <ul class="tickets">
          {props.events.map((event) => (
            <li class="card">
              <h2>
                <a href={`/events/${event.id}`}>{event.name}</a>
              </h2>
              <div class="meta">
                <span>
                  {event.venue}, {event.city}
                </span>
                <span>{tokyoTime(event.startsAt)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <nav class="pager" aria-label="Pages">
        <a href="/events/new">Add an event</a>
        {props.next ? (
          <a rel="next" href={props.next}>
            Next page →
          </a>
        ) : null}
      </nav>
    </>
  )
}
