import { eventually } from '@twtix/common/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf, visitor } from '../test-support.ts'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

const range = 'Price must be a whole number of yen from 50 to 9,999,999'

async function signedIn(name = 'seller') {
  const person = visitor(shop)
  await person.signUp(name)
  return person
}

describe('selling a ticket', () => {
  it('sends a visitor to sign in first', async () => {
    const page = await visitor(shop).get('/sell')
    expect(page.path).toBe('/signin?next=%2Fsell')
  })

  it('lists a ticket and shows it with a confirmation', async () => {
    const person = await signedIn()
    const page = await person.post('/sell', { title: 'Nippon Budokan, arena A', price: '8,000' })
    expect(page.path).toMatch(/^\/tickets\/[\w-]+\?notice=listed$/)
    expect(textOf(page.html)).toContain('Your ticket is listed.')
    expect(textOf(page.html)).toContain('Nippon Budokan, arena A ¥8,000')
  })

  it('reads full-width digits and a yen sign as the price', async () => {
    const person = await signedIn()
    const page = await person.post('/sell', { title: 'Zepp', price: '￥１２００' })
    expect(textOf(page.html)).toContain('¥1,200')
  })

  it('shows the API messages beside the fields and keeps what was typed', async () => {
    const person = await signedIn()
    const page = await person.post('/sell', { title: '   ', price: '49' })
    expect(page.status).toBe(400)
    expect(page.html).toContain(
      '<p class="field-error" id="field-title-error">Title is required</p>',
    )
    expect(page.html).toContain(`<p class="field-error" id="field-price-error">${range}</p>`)
    expect(page.html).toContain('value="49"')
    const words = await person.post('/sell', { title: 'Ok', price: 'free' })
    expect(words.html).toContain(`<p class="field-error" id="field-price-error">${range}</p>`)
    expect(words.html).toContain('value="free"')
  })
})

describe('editing a ticket', () => {
  it('lets the owner change title and price', async () => {
    const owner = await signedIn()
    const id = await owner.sell('Old title', 1000)
    const form = await owner.get(`/tickets/${id}/edit`)
    expect(form.html).toContain('value="Old title"')
    expect(form.html).toContain('value="1000"')
    const page = await owner.post(`/tickets/${id}/edit`, { title: 'New title', price: '1500' })
    expect(page.path).toBe(`/tickets/${id}?notice=updated`)
    expect(textOf(page.html)).toContain('New title ¥1,500')
  })

  it('shows the API messages when an edit is invalid', async () => {
    const owner = await signedIn()
    const id = await owner.sell('Valid', 1000)
    const page = await owner.post(`/tickets/${id}/edit`, { title: 'Valid', price: '10.5' })
    expect(page.status).toBe(400)
    expect(page.html).toContain(`<p class="field-error" id="field-price-error">${range}</p>`)
  })

  it("refuses someone else's ticket", async () => {
    const id = await (await signedIn()).sell('Not yours', 1000)
    const other = await signedIn('other')
    expect((await other.get(`/tickets/${id}/edit`)).status).toBe(403)
    const post = await other.post(`/tickets/${id}/edit`, { title: 'Mine now', price: '50' })
    expect(post.status).toBe(403)
    expect(textOf(post.html)).toContain('You can only edit tickets you listed.')
  })

  it('locks the form while a buyer holds the ticket', async () => {
    const owner = await signedIn()
    const id = await owner.sell('Held', 1000)
    const buyer = await signedIn('buyer')
    await eventually(async () => {
      const page = await buyer.post(`/tickets/${id}/buy`, {})
      return page.path.startsWith('/orders/')
    })
    const form = await eventually(async () => {
      const page = await owner.get(`/tickets/${id}/edit`)
      return page.html.includes('<fieldset disabled=""') ? page : undefined
    })
    expect(textOf(form.html)).toContain('A buyer is holding this ticket')
    const post = await owner.post(`/tickets/${id}/edit`, { title: 'Held', price: '2000' })
    expect(post.status).toBe(400)
    expect(textOf(post.html)).toContain('Cannot edit a reserved ticket')
  })
})
