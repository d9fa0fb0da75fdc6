import { describe, expect, it } from 'vitest'
import { PayForm } from './pay-form.tsx'

const orderId = crypto.randomUUID()

describe('the pay form', () => {
  it('offers the offline test cards without a publishable key', () => {
    const html = String(PayForm({ orderId, price: 8000 }))
    expect(html).toContain(`action="/orders/${orderId}/pay"`)
    expect(html).toContain('<legend>Test card</legend>')
    expect(html).toContain('value="tok_visa" checked=""')
    expect(html).toContain('value="tok_chargeDeclined"')
    expect(html).not.toContain('js.stripe.com')
  })

  it('takes the card with Stripe Elements when a publishable key is configured', () => {
    const html = String(PayForm({ orderId, price: 8000, stripeKey: 'pk_test_123', nonce: 'n0nce' }))
    expect(html).toContain('data-stripe-key="pk_test_123"')
    expect(html).toContain('<script src="https://js.stripe.com/v3/" nonce="n0nce"></script>')
    expect(html).toContain('<div id="card-element" class="card-element"></div>')
    expect(html).toContain('<input type="hidden" name="token" value=""/>')
    expect(html).toContain('<noscript>')
    expect(html).not.toContain('tok_visa')
  })
})
