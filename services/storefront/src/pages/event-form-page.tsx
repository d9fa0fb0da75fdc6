import type { FormErrors } from '../form.ts'
import { ErrorSummary, Field } from './components.tsx'

export type EventFormValues = {
  name: string
  venue: string
  city: string
  startsAt: string
  endsAt: string
}

/** Add an event (or find it: the API answers with the existing one). */
export function EventFormPage(props: { values: EventFormValues; errors: FormErrors }) {
  const { fields, general } = props.errors
  return (
    <div class="panel narrow">
      <h1>Add an event</h1>
      <p>If the event is already here, you get it back: nothing is added twice.</p>
      <ErrorSummary errors={general} />
      <form method="post" action="/events" novalidate>
        <Field name="name" label="Event" value={props.values.name} error={fields.name} required />
        <Field
          name="venue"
          label="Venue"
          value={props.values.venue}
          error={fields.venue}
          required
        />
        <Field name="city" label="City" value={props.values.city} error={fields.city} required />
        <Field
          name="startsAt"
          label="Starts (Japan time)"
          type="datetime-local"
          value={props.values.startsAt}
          error={fields.startsAt}
          hint="Sales stop at this moment."
          required
        />
        <Field
          name="endsAt"
          label="Ends (Japan time, optional)"
          type="datetime-local"
          value={props.values.endsAt}
          error={fields.endsAt}
        />
        <div class="actions">
          <button type="submit">Add event</button>
          <a href="/sell">Cancel</a>
        </div>
      </form>
    </div>
  )
}
