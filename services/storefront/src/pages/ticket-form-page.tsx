import type { Event } from '../api.ts'
import type { FormErrors } from '../form.ts'
import { tokyoTime } from '../format.ts'
import { ErrorSummary, Field, SelectField } from './components.tsx'

export type TicketFormValues = {
  eventId: string
  title: string
  price: string
  faceValue: string
  section: string
  row: string
  seat: string
}

export type TicketFormPageProps = {
  /** Absent when listing a new ticket. */
  ticketId?: string
  values: TicketFormValues
  errors: FormErrors
  /** Why the ticket cannot be edited now (reserved, sold); the form is then disabled. */
  locked?: string
  /** Events to pick from (new listings only). */
  events?: Event[]
  /** RESALE_PRICE_CAP: the price may not exceed the face value × this. */
  cap: number
  /** The face value of the ticket being edited, if it has one. */
  faceValue?: number | null
  notice?: string
}

const capText = (cap: number) =>
  cap === 1 ? 'at most the face value' : `at most ${cap}× the face value`

/** Sell a ticket, or edit one of your own: the API's messages sit beside the fields. */
export function TicketFormPage(props: TicketFormPageProps) {
  const { fields, general } = props.errors
  const editing = props.ticketId !== undefined
  const action = editing ? `/tickets/${props.ticketId}/edit` : '/sell'
  const v = props.values
  const capHint = `Resale is capped (Japan's ticket resale act): ${capText(props.cap)}.`
  return (
    <div class="panel narrow">
      <h1>{editing ? 'Edit your ticket' : 'Sell a ticket'}</h1>
      {props.notice ? (
        <p class="notice" role="status">
          {props.notice}
        </p>
      ) : null}
      {props.locked ? (
        <p class="alert" role="alert">
          {props.locked}
        </p>
      ) : null}
      <ErrorSummary errors={general} />
      <form method="post" action={action} novalidate>
        <fieldset disabled={Boolean(props.locked)}>
          {editing ? null : (
            <>
              <SelectField
                name="eventId"
                label="Event"
                value={v.eventId}
                error={fields.eventId}
                hint="Pick the event, or add it if it is not listed."
                options={[
                  { value: '', label: 'No event: a title and a price only' },
                  ...(props.events ?? []).map((e) => ({
                    value: e.id,
                    label: `${e.name} — ${e.venue}, ${tokyoTime(e.startsAt)}`,
                  })),
                ]}
              />
              <p>
                <a href="/events/new">Add an event</a>
              </p>
            </>
          )}
          <Field
            name="title"
            label={editing ? 'Title' : 'Title (optional with an event)'}
            hint="Up to 120 characters; a ticket of an event is titled with its name by default."
            value={v.title}
            error={fields.title}
            autofocus={Boolean(fields.title)}
          />
          {editing ? null : (
            <>
              <Field
                name="faceValue"
                label="Face value (yen)"
                inputmode="numeric"
                hint="The price printed on the ticket; required with an event."
                value={v.faceValue}
                error={fields.faceValue}
                autofocus={Boolean(fields.faceValue) && !fields.title}
              />
              <Field name="section" label="Section" value={v.section} error={fields.section} />
              <Field name="row" label="Row" value={v.row} error={fields.row} />
              <Field name="seat" label="Seat" value={v.seat} error={fields.seat} />
            </>
          )}
          <Field
            name="price"
            label="Price (yen)"
            inputmode="numeric"
            hint={`A whole number of yen from ¥50 to ¥9,999,999. ${capHint}${
              props.faceValue ? ` Face value: ¥${props.faceValue.toLocaleString('en-US')}.` : ''
            }`}
            value={v.price}
            error={fields.price}
            required
            autofocus={Boolean(fields.price) && !fields.title && !fields.faceValue}
          />
        </fieldset>
        <div class="actions">
          <button type="submit" disabled={Boolean(props.locked)}>
            {editing ? 'Save changes' : 'List ticket'}
          </button>
          <a href={editing ? `/tickets/${props.ticketId}` : '/'}>Cancel</a>
        </div>
      </form>
    </div>
  )
}
