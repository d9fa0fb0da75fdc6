import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestShop, type TestShop, textOf, visitor } from '../test-support.ts'

let shop: TestShop
beforeAll(async () => {
  shop = await createTestShop()
})
afterAll(async () => {
  await shop?.stop()
})

const newEmail = () => `person-${crypto.randomUUID().slice(0, 8)}@example.test`
const password = 'correct horse battery'

describe('sign up, sign in, sign out', () => {
  it('signs up with the session cookie set by auth, passed on unchanged', async () => {
    const person = visitor(shop)
    const email = newEmail()
    const res = await person.postOnly('/signup', { email, password, next: '/sell' })
    expect(res.status).toBe(303)
    expect(res.location).toBe('/sell')
    const cookie = res.res.headers.get('Set-Cookie') ?? ''
    expect(cookie).toMatch(/^session=[\w-]+\.[\w-]+\.[\w-]+;/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).toMatch(/Path=\//)
    const home = await person.get('/')
    expect(textOf(home.html)).toContain(`My orders My sales ${email} Sign out`)
  })

  it('shows the API validation messages beside the fields, keeping the email', async () => {
    const page = await visitor(shop).post('/signup', { email: 'not-an-email', password: 'short' })
    expect(page.status).toBe(400)
    expect(page.html).toContain('value="not-an-email"')
    expect(page.html).toMatch(
      /aria-invalid="true" aria-describedby="field-email-error"[^>]*>[\s\S]*?<p class="field-error" id="field-email-error">Email must be valid<\/p>/,
    )
    expect(page.html).toContain(
      '<p class="field-error" id="field-password-error">Password must be between 8 and 128 characters</p>',
    )
    expect(page.html).not.toContain('value="short"')
  })

  it('refuses a taken email with the API message', async () => {
    const email = newEmail()
    await visitor(shop).post('/signup', { email, password })
    const page = await visitor(shop).post('/signup', { email: email.toUpperCase(), password })
    expect(page.status).toBe(400)
    expect(textOf(page.html)).toMatch(/in use|taken|exists/i)
  })

  it('signs in, returns to a local page only, and signs out', async () => {
    const email = newEmail()
    await visitor(shop).post('/signup', { email, password })
    const person = visitor(shop)
    const wrong = await person.post('/signin', { email, password: 'wrong password' })
    expect(wrong.status).toBe(400)
    expect(wrong.html).toContain('role="alert"')
    expect(person.cookies.has('session')).toBe(false)

    const evil = await person.postOnly('/signin', { email, password, next: '//evil.example/' })
    expect(evil.location).toBe('/')
    const ok = await person.postOnly('/signin', { email, password, next: '/orders' })
    expect(ok.location).toBe('/orders')
    expect(person.cookies.has('session')).toBe(true)

    const out = await person.postOnly('/signout', {})
    expect(out.status).toBe(303)
    expect(out.res.headers.get('Set-Cookie')).toMatch(/^session=;/)
    expect(person.cookies.has('session')).toBe(false)
    const home = await person.get('/')
    expect(textOf(home.html)).toContain('Sign in Sign up')
  })

  it('renews an expired access token from the refresh cookie, without the visitor noticing', async () => {
    const person = visitor(shop)
    const email = await person.signUp('renewing')
    const signup = person.cookies.get('refresh') as string
    expect(signup).toMatch(/^[0-9a-f-]{36}\.[\w-]{43}$/)
    const first = person.cookies.get('session')
    shop.clock.advance(901_000)

    const page = await person.get('/orders')
    expect(page.status).toBe(200)
    expect(textOf(page.html)).toContain(email)
    const cookies = page.res.headers.getSetCookie()
    // auth sends it to its refresh route only; the storefront renews on any page.
    expect(cookies.find((c) => c.startsWith('refresh='))).toMatch(/; Path=\/(;|$)/)
    expect(person.cookies.get('session')).not.toBe(first)
    expect(person.cookies.get('refresh')).not.toBe(signup)
    expect(textOf((await person.get('/')).html)).toContain(email)
  })

  it('signs out for good: the session’s cookies copied before no longer sign anyone in', async () => {
    const person = visitor(shop)
    await person.signUp('copied')
    const copy = visitor(shop)
    for (const [name, value] of person.cookies) copy.cookies.set(name, value)
    expect((await copy.get('/orders')).status).toBe(200)

    await person.postOnly('/signout', {})
    expect(person.cookies.has('refresh')).toBe(false)
    const page = await copy.get('/orders')
    expect(page.path).toMatch(/^\/signin/)
    // Nor does the copied refresh secret bring the session back once the access token expired.
    shop.clock.advance(901_000)
    expect((await copy.get('/orders')).path).toMatch(/^\/signin/)
  })

  it('keeps next on the sign-in page as a hidden field', async () => {
    const page = await visitor(shop).get('/signin?next=%2Forders')
    expect(page.html).toContain('<input type="hidden" name="next" value="/orders"/>')
    expect(page.html).toContain('<label for="field-email">Email</label>')
    expect(page.html).toContain('autocomplete="current-password"')
  })
})
