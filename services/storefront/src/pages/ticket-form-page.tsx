import type { FormErrors } from '../form.ts'
import { ErrorSummary, Field } from './components.tsx'

export type TicketFormPageProps = {
  /** Absent when listing a new ticket. */
  ticketId?: string
  values: { title: string; price: string }
  errors: FormErrors
  /** Why the ticket cannot be edited now (reserved, sold); the form is then disabled. */
  locked?: string
}

/** Sell a ticket, or edit one of your own: the API's messages sit beside the fields. */
export function TicketFormPage(props: TicketFormPageProps) {
  const { fields, general } = props.errors
  const editing = props.ticketId !== undefined
  const action = editing ? `/tickets/${props.ticketId}/edit` : '/sell'
  return (
    <div class="panel narrow">
      <h1>{editing ? 'Edit your ticket' : 'Sell a ticket'}</h1>
      {props.locked ? (
        <p class="alert" role="alert">
          {props.locked}
        </p>
      ) : null}
      <ErrorSummary errors={general} />
      <form method="post" action={action} novalidate>
        <fieldset disabled={Boolean(props.locked)}>
          <Field
            name="title"
            label="Title"
            hint="The event, date and seat, up to 120 characters."
            value={props.values.title}
            error={fields.title}
            required
            autofocus={Boolean(fields.title) || (!editing && !fields.price)}
          />
          <Field
            name="price"
            label="Price (yen)"
            inputmode="numeric"
            hint="A whole number of yen from ¥50 to ¥9,999,999."
            value={props.values.price}
            error={fields.price}
            required
            autofocus={Boolean(fields.price) && !fields.title}
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
