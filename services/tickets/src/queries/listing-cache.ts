import type { Database } from '@twtix/common/db'
import type { TicketPage } from './list-tickets.ts'

/** A page of the listing as it goes out: the JSON body and the cursor of the next page. */
export type RenderedPage = { body: string; next?: string }

export type ListingCache = {
  /** The page under `key` from memory, or loaded once (however many ask at once) and kept. */
  page(key: string, load: () => Promise<TicketPage>): Promise<RenderedPage>
  /** Forgets every page: this replica changed a ticket and its caller must see the change. */
  invalidate(): void
  close(): Promise<void>
}

/** What the trigger of drizzle/tickets/0001_listing_changes.sql notifies on every change. */
export const LISTING_CHANNEL = 'tickets_listing_changed'

/**
 * The public listing from memory: the busiest read, the same for every visitor, and changed far
 * less often than it is read (a flash sale). Every replica LISTENs to the tickets table's
 * trigger, whose notification arrives after the change commits, and forgets all it holds; a
 * page loaded while a change landed is not kept. Pages are kept only while the LISTEN is in
 * place, and never longer than `maxAgeMs`: a notification lost while the connection was down
 * (a database restart) holds a page back that long at most.
 */
export async function createListingCache(
  database: Pick<Database, 'listen'>,
  options: { maxAgeMs: number; maxPages?: number; now?: () => number },
): Promise<ListingCache> {
  const now = options.now ?? (() => performance.now())
  const maxPages = options.maxPages ?? 1000
  let generation = 0
  let listening = false
  const pages = new Map<string, { generation: number; at: number; page: Promise<RenderedPage> }>()
  const invalidate = () => {
    generation++
    pages.clear()
  }
  const unlisten = await database.listen(LISTING_CHANNEL, invalidate, () => {
    // At first, and after a reconnection that may have missed notifications.
    invalidate()
    listening = true
  })

  return {
    page(key, load) {
      const at = now()
      const kept = pages.get(key)
      if (kept && kept.generation === generation && at - kept.at < options.maxAgeMs) {
        return kept.page
      }
      const page = load().then(renderPage)
      if (!listening) return page
      if (pages.size >= maxPages) pages.clear()
      const entry = { generation, at, page }
      pages.set(key, entry)
      // A failed load is not kept; nor is one that a change overtook (the map was cleared).
      page.catch(() => {
        if (pages.get(key) === entry) pages.delete(key)
      })
      return page
    },
    invalidate,
    async close() {
      listening = false
      invalidate()
      await unlisten()
    },
  }
}

/** The page as the route sends it. */
export function renderPage(page: TicketPage): RenderedPage {
  return { body: JSON.stringify(page.tickets), next: page.next }
}
