import type { Child } from 'hono/jsx'
import type { OrderStatus, TicketStatus } from '../api.ts'
import { yen } from '../format.ts'

export type FieldProps = {
  name: string
  label: string
  value?: string
  error?: string
  hint?: string
  type?: 'text' | 'email' | 'password' | 'datetime-local'
  autocomplete?: string
  inputmode?: 'numeric' | 'text' | 'email'
  required?: boolean
  autofocus?: boolean
  maxlength?: number
}

/** A labelled choice among options, with its hint and the API's message for it. */
export function SelectField(props: {
  name: string
  label: string
  value: string
  options: { value: string; label: string }[]
  hint?: string
  error?: string
}) {
  const id = `field-${props.name}`
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`]
    .filter(Boolean)
    .join(' ')
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <select
        id={id}
        name={props.name}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** A labelled input with its hint and the API's message for it, wired for screen readers. */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`
  const described = [props.hint && `${id}-hint`, props.error && `${id}-error`]
    .filter(Boolean)
    .join(' ')
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value ?? ''}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        aria-required={props.required ? 'true' : undefined}
        autofocus={props.autofocus}
        maxlength={props.maxlength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
      />
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  )
}

/** Errors that belong to no field (a rule of the marketplace, too many attempts...). */
export function ErrorSummary(props: { errors: string[]; title?: string }) {
  if (props.errors.length === 0) return null
  return (
    <div class="alert" role="alert">
      <strong>{props.title ?? 'That did not work'}</strong>
      <ul>
        {props.errors.map((message) => (
          <li>{message}</li>
        ))}
      </ul>
    </div>
  )
}

export function Notice(props: { children: Child }) {
  return (
    <p class="notice" role="status">
      {props.children}
    </p>
  )
}

const ticketLabels: Record<TicketStatus, string | null> = {
  available: null,
  reserved: 'Reserved',
  sold: 'Sold',
}

/** "Reserved" or "Sold"; an available ticket needs no badge. */
export function TicketBadge(props: { status: TicketStatus }) {
  const label = ticketLabels[props.status]
  return label ? <span class={`badge ${props.status}`}>{label}</span> : null
}

export type OrderState = OrderStatus | 'expired'

const orderLabels: Record<OrderState, string> = {
  created: 'Awaiting payment',
  expired: 'Hold ended',
  cancelled: 'Cancelled',
  complete: 'Paid',
}

export function OrderBadge(props: { state: OrderState }) {
  return <span class={`badge ${props.state}`}>{orderLabels[props.state]}</span>
}

export function Price(props: { amount: number; big?: boolean }) {
  return <span class={props.big ? 'price big' : 'price'}>{yen(props.amount)}</span>
}

/** A hidden field carrying a fresh idempotency key: a double submit stays one request. */
export function IdempotencyKey() {
  return <input type="hidden" name="idempotencyKey" value={crypto.randomUUID()} />
}
