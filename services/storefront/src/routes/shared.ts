import type { Context } from 'hono'
import type { ApiReply } from '../api.ts'
import type { StorefrontEnv } from '../env.ts'

/** To the sign-in page, coming back to `next` (this page by default) afterwards. */
export function toSignIn(c: Context<StorefrontEnv>, next = c.req.path) {
  return c.redirect(`/signin?next=${encodeURIComponent(next)}`, 303)
}

/** An answer the storefront has no page for: a bug on one side or the other, so a 500. */
export function unexpected(reply: ApiReply<unknown>): Error {
  const messages = reply.errors.map((e) => e.message).join('; ')
  return new Error(
    `The API answered ${reply.status} unexpectedly${messages ? `: ${messages}` : ''}`,
  )
}

/** One-line confirmations after a redirect, chosen by key so no text is reflected from the URL. */
const notices: Record<string, string> = {
  listed: 'Your ticket is listed.',
  event: 'The event is ready: now list your ticket for it.',
  updated: 'Your changes are saved.',
  paid: 'Payment received.',
  cancelled: 'Your order is cancelled and the ticket is back on sale.',
  delivery: 'The delivery details are saved. The buyer sees them once paid.',
  onboarded: 'Your payout account is ready.',
  'event-cancel': 'The event is cancelled: its orders are being cancelled and refunded.',
  'event-postpone': 'The event is postponed to its new times.',
  'claim-resolved': 'The claim is resolved.',
  claimed: 'Your claim is open: we will look into it before the seller is paid.',
}

export function noticeOf(c: Context): string | undefined {
  const key = c.req.query('notice')
  return key && Object.hasOwn(notices, key) ? notices[key] : undefined
}

/** The id from the path, ready to put back into an API path. */
export const idParam = (c: Context) => encodeURIComponent(c.req.param('id') ?? '')
