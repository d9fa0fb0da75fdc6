import { inTransaction } from '@twtix/common'
import { describe, expect, it } from 'vitest'
import { sellTicket } from '../commands/sell-ticket.ts'
import { listedTicket, setupTickets } from '../test-support.ts'

const { app, deps } = await setupTickets()

describe('GET /api/tickets/:id', () => {
  it('returns the ticket to anyone', async () => {
    const ticket = await listedTicket(deps)
    const res = await app.request(`/api/tickets/${ticket.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ...ticket, currency: 'JPY', status: 'available' })
  })

  it('returns sold tickets too', async () => {
    const ticket = await listedTicket(deps)
    const orderId = crypto.randomUUID()
    await inTransaction(deps, (tx) => sellTicket(deps, tx, { ticketId: ticket.id, orderId }))
    const res = await app.request(`/api/tickets/${ticket.id}`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ id: ticket.id, status: 'sold', orderId, version: 1 })
  })

  it('answers 404 for an unknown id', async () => {
    const res = await app.request(`/api/tickets/${crypto.randomUUID()}`)
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({ errors: [{ message: 'Ticket not found' }] })
  })

  it.each(['not-a-uuid', '123', "1' or '1'='1"])(
    'answers 400 for the malformed id %j',
    async (id) => {
      const res = await app.request(`/api/tickets/${encodeURIComponent(id)}`)
      expect(res.status).toBe(400)
      expect(await res.json()).toEqual({
        errors: [{ message: 'Ticket id must be a UUID', field: 'id' }],
      })
    },
  )
})
