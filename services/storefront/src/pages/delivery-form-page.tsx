import type { Delivery, Ticket } from '../api.ts'
import type { FormErrors } from '../form.ts'
import { tokyoTime } from '../format.ts'
import { ErrorSummary, Field, Notice } from './components.tsx'

export type DeliveryFormPageProps = {
  ticket: Ticket
  /** What the seller added before, if anything. */
  delivery?: Delivery
  values: { code: string; url: string }
  errors: FormErrors
  notice?: string
}

function Current(props: { delivery?: Delivery }) {
  const d = props.delivery
  if (!d) {
    return (
      <p class="alert" role="status">
        Delivery pending: add it before the event, or a paid order is refunded.
      </p>
    )
  }
  const what =
    d.kind === 'file'
      ? `a file (${d.contentType === 'application/pdf' ? 'PDF' : 'PNG'}, ${Math.ceil(d.size / 1024)} KB)`
      : d.kind === 'url'
        ? `the link ${d.value}`
        : `the code ${d.value}`
  return (
    <p>
      Delivery ready: {what}, added {tokyoTime(d.updatedAt)}. The buyer sees it once they have paid.
      Adding another replaces it.
    </p>
  )
}

/** The seller adds what the buyer needs to get in: a transfer code, a link, or a PDF/PNG file. */
export function DeliveryFormPage(props: DeliveryFormPageProps) {
  const { fields, general } = props.errors
  return (
    <div class="panel narrow">
      <p>
        <a href={`/tickets/${props.ticket.id}`}>← {props.ticket.title}</a>
      </p>
      <h1>Delivery details</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <Current delivery={props.delivery} />
      <ErrorSummary errors={general} />
      <form
        method="post"
        action={`/tickets/${props.ticket.id}/delivery`}
        enctype="multipart/form-data"
        novalidate
      >
        <Field
          name="code"
          label="Transfer code"
          hint="Up to 500 characters. Or give a link, or a file, instead."
          value={props.values.code}
          error={fields.code}
          maxlength={500}
        />
        <Field name="url" label="Link (https://…)" value={props.values.url} error={fields.url} />
        <div class="field">
          <label for="field-file">File (PDF or PNG, at most 2 MB)</label>
          <input id="field-file" name="file" type="file" accept="application/pdf,image/png" />
          {fields.file ? <p class="field-error">{fields.file}</p> : null}
        </div>
        <div class="actions">
          <button type="submit">Save delivery</button>
          <a href={`/tickets/${props.ticket.id}`}>Cancel</a>
        </div>
      </form>
    </div>
  )
}
