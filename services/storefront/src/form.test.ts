import { describe, expect, it } from 'vitest'
import { formErrors, priceInput, safeNext } from './form.ts'
import { clockText, secondsUntil, yen } from './format.ts'

describe('prices and times', () => {
  it('formats yen for Japan', () => {
    expect(yen(8000)).toBe('¥8,000')
    expect(yen(9_999_999)).toBe('¥9,999,999')
  })

  it('formats the hold like the countdown script', () => {
    expect(clockText(900)).toBe('15:00')
    expect(clockText(61)).toBe('1:01')
    expect(clockText(0)).toBe('0:00')
    expect(clockText(3723)).toBe('1:02:03')
  })

  it('counts a started second as left, and never below zero', () => {
    const now = new Date('2026-01-01T00:00:00.000Z')
    expect(secondsUntil('2026-01-01T00:00:00.500Z', now)).toBe(1)
    expect(secondsUntil('2025-12-31T23:59:00.000Z', now)).toBe(0)
  })
})

describe('form input', () => {
  it.each([
    ['8000', 8000],
    [' 8,000 ', 8000],
    ['８０００', 8000],
    ['¥8000', 8000],
    ['8000円', 8000],
    ['10.5', 10.5],
    ['', undefined],
    ['free', 'free'],
  ])('reads the price %j as %j', (text, value) => {
    expect(priceInput(text)).toBe(value)
  })

  it.each([
    ['/orders', '/orders'],
    ['/tickets/1?notice=listed', '/tickets/1?notice=listed'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/\t/evil.example', '/'],
    ['https://evil.example', '/'],
    [undefined, '/'],
  ])('returns after sign-in to %j as %j', (next, target) => {
    expect(safeNext(next)).toBe(target)
  })

  it('puts field errors beside known fields and the rest on top', () => {
    const errors = formErrors(
      [
        { message: 'Title is required', field: 'title' },
        { message: 'Cannot edit a sold ticket' },
        { message: 'Odd', field: 'colour' },
      ],
      ['title', 'price'],
    )
    expect(errors).toEqual({
      fields: { title: 'Title is required' },
      general: ['Cannot edit a sold ticket', 'Odd'],
    })
  })
})
