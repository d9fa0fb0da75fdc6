import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { type RunningServer, serveHttp } from '@twtix/common'
import { eventually } from '@twtix/common/testing'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop } from './test-support.ts'

const CHROMIUM = '/usr/bin/chromium'
const hasChromium = existsSync(CHROMIUM)
const screenshots = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url))
const password = 'correct horse battery'
const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true }

if (!hasChromium) {
  console.warn(`browser tests skipped: ${CHROMIUM} is missing (.ci/run installs it)`)
}

let shop: TestShop
let server: RunningServer
let browser: Browser
let base: string

beforeAll(async () => {
  if (!hasChromium) return
  mkdirSync(screenshots, { recursive: true })
  shop = await createTestShop()
  server = await serveHttp(shop.fetch, { port: 0, hostname: '127.0.0.1' })
  base = `http://127.0.0.1:${server.port}`
  const { chromium } = await import('playwright-core')
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await shop?.stop()
})

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `${screenshots}${name}.png`, fullPage: true })
}

async function person(options: object = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: base, locale: 'en-GB', ...options })
  return { context, page: await context.newPage() }
}

async function signUp(page: Page, name: string) {
  const email = `${name}-${crypto.randomUUID().slice(0, 8)}@example.test`
  await page.goto('/signup')
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.waitForURL(`${base}/`)
  await page.getByText(email).waitFor()
  return email
}

const menu = (page: Page) => page.getByRole('navigation', { name: 'Main' })

/** Reloads until `check` holds: events between services take a moment to arrive. */
async function reloadUntil(page: Page, check: () => Promise<boolean>, message: string) {
  await eventually(
    async () => {
      await page.reload()
      return check()
    },
    { timeoutMs: 10_000, intervalMs: 200, message },
  )
}

const title = 'Nippon Budokan — Arena A, row 3'

describe.skipIf(!hasChromium)(
  `the storefront in Chromium${hasChromium ? '' : ` (skipped: no ${CHROMIUM})`}`,
  () => {
    it('visitor, seller, buyer and a second buyer', { timeout: 120_000 }, async () => {
      // A visitor sees the (empty) index and the sign-in page.
      const visitor = await person()
      await visitor.page.goto('/')
      await visitor.page.getByRole('heading', { name: 'Tickets for sale' }).waitFor()
      await shot(visitor.page, 'index-empty')
      await menu(visitor.page).getByRole('link', { name: 'Sign in' }).click()
      await visitor.page.getByRole('heading', { name: 'Sign in' }).waitFor()
      await shot(visitor.page, 'signin')

      // The seller signs up and lists a ticket; the API's messages show beside the fields first.
      const seller = await person()
      await signUp(seller.page, 'seller')
      await menu(seller.page).getByRole('link', { name: 'Sell a ticket' }).click()
      await seller.page.getByLabel('Title').fill('   ')
      await seller.page.getByLabel('Price (yen)').fill('10')
      await seller.page.getByRole('button', { name: 'List ticket' }).click()
      await seller.page.getByText('Title is required').waitFor()
      await seller.page
        .getByText('Price must be a whole number of yen from 50 to 9,999,999')
        .waitFor()
      expect(await seller.page.evaluate(() => document.activeElement?.id)).toBe('field-title')
      await shot(seller.page, 'sell-errors')
      await seller.page.getByLabel('Title').fill(title)
      await seller.page.getByLabel('Price (yen)').fill('12,000')
      await seller.page.getByRole('button', { name: 'List ticket' }).click()
      await seller.page.getByText('Your ticket is listed.').waitFor()
      const ticketPath = new URL(seller.page.url()).pathname
      await shot(seller.page, 'ticket-own')
      await seller.page.getByRole('link', { name: 'Edit ticket' }).click()
      await seller.page.getByRole('heading', { name: 'Edit your ticket' }).waitFor()
      await shot(seller.page, 'edit')

      // The visitor sees it on the index, priced in yen.
      await visitor.page.goto('/')
      const card = visitor.page.getByRole('listitem').filter({ hasText: title })
      await card.getByText('¥12,000').waitFor()
      await shot(visitor.page, 'index')

      // The buyer (on a phone) buys it and sees the hold counting down.
      const buyer = await person(phone)
      await signUp(buyer.page, 'buyer')
      await shot(buyer.page, 'index-phone')
      await buyer.page.getByRole('link', { name: title }).click()
      await buyer.page.waitForURL(`${base}${ticketPath}`)
      await shot(buyer.page, 'ticket')
      await buyer.page.getByRole('button', { name: 'Buy for ¥12,000' }).click()
      await buyer.page.waitForURL(/\/orders\/[\w-]+$/)
      const orderUrl = buyer.page.url()
      const timer = buyer.page.getByRole('timer')
      const first = await timer.textContent()
      expect(first).toMatch(/^1[45]:\d\d$/)
      await buyer.page.waitForFunction((shown) => {
        return document.getElementById('countdown')?.textContent !== shown
      }, first)
      await shot(buyer.page, 'order')

      // A second buyer sees it reserved meanwhile, with nothing to buy.
      const second = await person()
      await signUp(second.page, 'second')
      await reloadUntil(
        second.page,
        () =>
          second.page
            .getByRole('listitem')
            .filter({ hasText: title })
            .getByText('Reserved')
            .isVisible(),
        'the ticket never showed as reserved',
      )
      await shot(second.page, 'index-reserved')
      await second.page.getByRole('link', { name: title }).click()
      await second.page.getByText('Another buyer is holding this ticket').waitFor()
      expect(await second.page.getByRole('button', { name: /^Buy/ }).count()).toBe(0)
      await shot(second.page, 'ticket-reserved')

      // The buyer's card is declined, then a good one pays; the order is paid.
      await buyer.page.getByLabel('Card declined').check()
      await buyer.page.getByRole('button', { name: 'Pay ¥12,600' }).click()
      await buyer.page.getByText('Your card was declined.').waitFor()
      await shot(buyer.page, 'order-declined')
      await buyer.page.getByLabel('Visa — pays').check()
      await buyer.page.getByRole('button', { name: 'Pay ¥12,600' }).click()
      await buyer.page.getByText('Paid. The ticket is yours.').waitFor({ timeout: 10_000 })
      expect(buyer.page.url()).toBe(`${orderUrl}?notice=paid`)
      await shot(buyer.page, 'order-paid')
      await menu(buyer.page).getByRole('link', { name: 'My orders' }).click()
      await buyer.page.getByRole('listitem').filter({ hasText: title }).getByText('Paid').waitFor()
      await shot(buyer.page, 'orders')

      // The ticket has left the index.
      await reloadUntil(
        visitor.page,
        async () => (await visitor.page.getByText(title).count()) === 0,
        'the sold ticket stayed on the index',
      )
      await shot(visitor.page, 'index-after-sale')

      // The seller signs out.
      await seller.page.getByRole('button', { name: 'Sign out' }).click()
      await menu(seller.page).getByRole('link', { name: 'Sign in' }).waitFor()

      for (const context of [visitor, seller, buyer, second]) await context.context.close()
    })

    it('an event: added, a ticket of it capped at face value, found and shown by price', {
      timeout: 120_000,
    }, async () => {
      const seller = await person()
      await signUp(seller.page, 'organiser')
      await menu(seller.page).getByRole('link', { name: 'Sell a ticket' }).click()
      await seller.page.getByText("Resale is capped (Japan's ticket resale act)").first().waitFor()
      await seller.page.getByRole('link', { name: 'Add an event' }).click()
      const name = `Perfume ${crypto.randomUUID().slice(0, 6)}`
      const day = new Date(Date.now() + 40 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10)
      await seller.page.getByLabel('Event', { exact: true }).fill(name)
      await seller.page.getByLabel('Venue').fill('Nippon Budokan')
      await seller.page.getByLabel('City').fill('Tokyo')
      await seller.page.getByLabel('Starts (Japan time)').fill(`${day}T18:30`)
      await shot(seller.page, 'event-new')
      await seller.page.getByRole('button', { name: 'Add event' }).click()
      await seller.page.getByText('The event is ready').waitFor()
      expect(await seller.page.getByLabel('Event', { exact: true }).inputValue()).not.toBe('')
      await seller.page.getByLabel('Face value (yen)').fill('9,800')
      await seller.page.getByLabel('Section', { exact: true }).fill('Arena A')
      await seller.page.getByLabel('Row', { exact: true }).fill('3')
      await seller.page.getByLabel('Price (yen)').fill('9801')
      await seller.page.getByRole('button', { name: 'List ticket' }).click()
      await seller.page
        .getByText('Price must be at most ¥9,800: resale is capped at 1× the face value of ¥9,800')
        .waitFor()
      await shot(seller.page, 'sell-above-cap')
      await seller.page.getByLabel('Price (yen)').fill('9800')
      await seller.page.getByRole('button', { name: 'List ticket' }).click()
      await seller.page.getByText('Your ticket is listed.').waitFor()

      const visitor = await person(phone)
      await visitor.page.goto('/')
      await menu(visitor.page).getByRole('link', { name: 'Events' }).click()
      await visitor.page.getByLabel('Artist, event or venue').fill(name)
      await visitor.page.getByLabel('City').fill('tokyo')
      await visitor.page.getByRole('button', { name: 'Search' }).click()
      await visitor.page.getByRole('link', { name }).click()
      await visitor.page.getByRole('heading', { name }).waitFor()
      const row = visitor.page.getByRole('row').filter({ hasText: 'Arena A' })
      await row.getByText('¥9,800').waitFor()
      await shot(visitor.page, 'event-page')
      for (const context of [seller, visitor]) await context.context.close()
    })
    it('delivery, a claim and My sales: the code only the paying buyer sees, the payout held', {
      timeout: 120_000,
    }, async () => {
      const listing = `Tokyo Dome — delivery ${crypto.randomUUID().slice(0, 6)}`
      const code = `TD-${crypto.randomUUID().slice(0, 8).toUpperCase()}`
      const seller = await person()
      await signUp(seller.page, 'deliverer')
      await menu(seller.page).getByRole('link', { name: 'Sell a ticket' }).click()
      await seller.page.getByLabel('Title').fill(listing)
      await seller.page.getByLabel('Price (yen)').fill('8,000')
      await seller.page.getByRole('button', { name: 'List ticket' }).click()
      await seller.page.getByText('Your ticket is listed.').waitFor()
      const ticketPath = new URL(seller.page.url()).pathname
      await seller.page.getByText('Delivery pending.').waitFor()
      await seller.page.getByRole('link', { name: 'Add the delivery details' }).click()
      await seller.page.getByLabel('Transfer code').fill(code)
      await seller.page.getByRole('button', { name: 'Save delivery' }).click()
      await seller.page.getByText('The delivery details are saved.').waitFor()
      await shot(seller.page, 'delivery-saved')

      // The buyer sees the code once paid, and only then.
      const buyer = await person()
      await signUp(buyer.page, 'claimant')
      await buyer.page.goto(ticketPath)
      await buyer.page.getByRole('button', { name: /^Buy for/ }).click()
      await buyer.page.waitForURL(/\/orders\/[\w-]+$/)
      expect(await buyer.page.getByText(code).count()).toBe(0)
      await buyer.page.getByLabel('Visa — pays').check()
      await buyer.page.getByRole('button', { name: /^Pay ¥/ }).click()
      await buyer.page.getByText('Paid. The ticket is yours.').waitFor({ timeout: 10_000 })
      await reloadUntil(
        buyer.page,
        () => buyer.page.getByText(code).isVisible(),
        'the paid buyer never saw the transfer code',
      )
      await shot(buyer.page, 'order-delivery')

      // Something is wrong: the buyer opens a claim, and the seller's payout is held.
      await buyer.page.getByLabel('Invalid').check()
      await buyer.page
        .getByLabel('What happened (optional)')
        .fill('The code was refused at the gate.')
      await buyer.page.getByRole('button', { name: 'Open a claim' }).click()
      await buyer.page.getByText('Your claim is open').first().waitFor()
      await shot(buyer.page, 'order-claimed')
      await menu(seller.page).getByRole('link', { name: 'My sales' }).click()
      await reloadUntil(
        seller.page,
        () => seller.page.getByText('Held: a claim is open').isVisible(),
        "the seller's payout never showed as held",
      )
      await shot(seller.page, 'sales-held')
      for (const context of [seller, buyer]) await context.context.close()
    })
  },
)
