import { yen } from '../format.ts'
import { IdempotencyKey } from './components.tsx'

export type PayFormProps = {
  orderId: string
  price: number
  /** Stripe's publishable key: card entry with Stripe Elements; without it, test cards. */
  stripeKey?: string
  error?: string
  /** The test card tried last, chosen again after a decline. */
  token?: string
  nonce?: string
}

/** Stripe's test tokens, as the offline gateway (and Stripe's test mode) answer them. */
const testCards = [
  { token: 'tok_visa', label: 'Visa — pays' },
  { token: 'tok_mastercard', label: 'Mastercard — pays' },
  { token: 'tok_jcb', label: 'JCB — pays' },
  { token: 'tok_chargeDeclined', label: 'Card declined' },
  { token: 'tok_chargeDeclinedInsufficientFunds', label: 'Insufficient funds' },
  { token: 'tok_chargeDeclinedExpiredCard', label: 'Expired card' },
]

// Stripe.js turns the card field into a token; the form then posts it like any other field.
const stripeScript = `
(() => {
  const form = document.getElementById('pay-form')
  if (!form || typeof Stripe !== 'function') return
  const stripe = Stripe(form.dataset.stripeKey)
  const card = stripe.elements({ locale: 'en' }).create('card')
  card.mount('#card-element')
  const message = document.getElementById('field-token-error')
  form.addEventListener('submit', async (event) => {
    if (form.elements.token.value) return
    event.preventDefault()
    const { token, error } = await stripe.createToken(card)
    if (error) { message.textContent = error.message; message.hidden = false; return }
    form.elements.token.value = token.id
    form.submit()
  })
})()
`

function ErrorLine(props: { error?: string }) {
  return (
    <p class="field-error" id="field-token-error" role="alert" hidden={!props.error}>
      {props.error ?? ''}
    </p>
  )
}

export function PayForm(props: PayFormProps) {
  const action = `/orders/${props.orderId}/pay`
  const submit = (
    <button type="submit" class="wide" data-pay>
      Pay {yen(props.price)}
    </button>
  )
  if (props.stripeKey) {
    return (
      <form id="pay-form" method="post" action={action} data-stripe-key={props.stripeKey}>
        <IdempotencyKey />
        <input type="hidden" name="token" value="" />
        <div class="field">
          <label for="card-element">Card</label>
          <div id="card-element" class="card-element" />
          <ErrorLine error={props.error} />
          <noscript>
            <p class="field-error">
              Paying by card needs JavaScript for Stripe's secure card field.
            </p>
          </noscript>
        </div>
        {submit}
        <script src="https://js.stripe.com/v3/" nonce={props.nonce} />
        <script nonce={props.nonce} dangerouslySetInnerHTML={{ __html: stripeScript }} />
      </form>
    )
  }
  return (
    <form id="pay-form" method="post" action={action}>
      <IdempotencyKey />
      <fieldset aria-describedby="cards-hint field-token-error">
        <legend>Test card</legend>
        <p class="hint" id="cards-hint">
          No money moves: this shop uses the offline payment gateway. Pick how the card answers.
        </p>
        {testCards.map((card, i) => (
          <label class="choice">
            <input
              type="radio"
              name="token"
              value={card.token}
              checked={props.token ? card.token === props.token : i === 0}
            />
            {card.label}
          </label>
        ))}
        <ErrorLine error={props.error} />
      </fieldset>
      {submit}
    </form>
  )
}
