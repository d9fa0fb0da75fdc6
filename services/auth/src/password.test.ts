import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, verifyPassword } from './password.ts'

describe('password hashing', () => {
  it('verifies the right password only, with a new salt each time', async () => {
    const a = await hashPassword('correct horse')
    const b = await hashPassword('correct horse')
    expect(a).not.toBe(b)
    expect(await verifyPassword('correct horse', a)).toBe(true)
    expect(await verifyPassword('correct horsf', a)).toBe(false)
    expect(await verifyPassword('correct horse', 'garbage')).toBe(false)
  })

  it("hashes at OWASP's minimum scrypt cost and asks to rehash anything weaker", async () => {
    const hash = await hashPassword('correct horse')
    expect(hash).toMatch(/^scrypt\$32768\$8\$3\$/)
    expect(needsRehash(hash)).toBe(false)
    expect(needsRehash(hash.replace(/\$3\$/, '$1$'))).toBe(true)
  })
})
