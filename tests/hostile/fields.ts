import fc from 'fast-check'
import {
  badPriceNumber,
  blank,
  notNumber,
  notString,
  notUuid,
  notUuidString,
  oddText,
} from './arbitraries.ts'

/** An input of an API route: whether it must be there, and values it must refuse. */
export type Field = { required: boolean; invalid: fc.Arbitrary<unknown> }

export const title: Field = {
  required: true,
  invalid: fc.oneof(
    notString,
    blank,
    fc.string({ minLength: 121, maxLength: 400 }).filter((s) => [...s.trim()].length > 120),
    fc.constant('x'.repeat(30_000)),
    // Text PostgreSQL cannot store: refused, never a 500 or a silently altered title.
    oddText({ maxLength: 5 }).map((s) => `a\u0000${s}`),
    oddText({ maxLength: 5 }).map((s) => `a${s}\ud800b`),
  ),
}

export const price: Field = { required: true, invalid: fc.oneof(notNumber, badPriceNumber) }

/** Text of 1 to `max` characters, trimmed: a name, a venue, a city. */
export const boundedText = (max: number): Field => ({
  required: true,
  invalid: fc.oneof(
    notString,
    blank,
    fc.string({ minLength: max + 1, maxLength: max * 3 }).filter((s) => [...s.trim()].length > max),
    oddText({ maxLength: 5 }).map((s) => `a\u0000${s}`),
    oddText({ maxLength: 5 }).map((s) => `a${s}\ud800b`),
  ),
})

/** Optional seat text (section, row, seat): 1 to 40 characters. */
export const seatPart: Field = { ...boundedText(40), required: false }

/** An optional face value: a whole number of yen from 1 to 9,999,999. */
export const faceValue: Field = {
  required: false,
  invalid: fc.oneof(
    notNumber,
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
    fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 0 }),
    fc.integer({ min: 10_000_000, max: Number.MAX_SAFE_INTEGER }),
    fc.constantFrom(-0, 0, 10_000_000, 1e21, Number.MAX_VALUE),
  ),
}

/** A date and time an event cannot start at: not one, no offset, impossible, past, too far. */
const notAStart = fc.oneof(
  notString,
  blank,
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    '2027-08-01',
    '2027-08-01T18:00:00',
    '2027-02-30T18:00:00Z',
    '2027-08-01T24:00:00Z',
    '2027-08-01T18:00:00+15:00',
    '0000-01-01T00:00:00Z',
    '2000-01-01T00:00:00Z',
    '2099-01-01T00:00:00Z',
    '9999-12-31T23:59:59-23:59',
    '+275760-09-13T00:00:00.000Z',
    'tomorrow',
  ),
)

export const startsAt: Field = { required: true, invalid: notAStart }

/** Before any start a valid call gives, or not a date: never null, which means "no end". */
export const endsAt: Field = {
  required: false,
  invalid: fc.oneof(
    notAStart.filter((v) => v !== null && v !== '2099-01-01T00:00:00Z'),
    fc.constant('2020-01-01T00:00:00Z'),
  ),
}

/** A date or instant query parameter that is neither. */
export const moment: Field = {
  required: false,
  invalid: fc.oneof(
    fc.constantFrom('', 'yesterday', '2026-02-30', '2026-13-01', '2026-08-01T18:00', '0'),
    fc.string({ minLength: 1, maxLength: 10 }).filter((s) => !/^\d{4}-\d{2}-\d{2}/.test(s)),
  ),
}

/** Search text past its length, or text the database cannot take. */
export const searchText = (max: number): Field => ({
  required: false,
  invalid: fc.oneof(
    fc.string({ minLength: max + 1, maxLength: max * 2 }).filter((s) => [...s.trim()].length > max),
    fc.string({ maxLength: 5 }).map((s) => `a\u0000${s}`),
  ),
})

export const uuidField: Field = { required: true, invalid: notUuid }

/** An optional whole number of at least 0 (the price or version a buyer saw). */
export const seenNumber: Field = {
  required: false,
  invalid: fc.oneof(
    notNumber,
    fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
    fc.integer({ max: -1 }),
    fc.constant(2 ** 60),
  ),
}

/** A path id that is not a UUID; the suites percent-encode it into the path. */
export const idParam: Field = { required: true, invalid: notUuidString.filter((s) => s.length > 0) }

/** Not one of the Swagger UI files served: traversal, odd names, near misses. */
export const docsFile: Field = {
  required: true,
  invalid: fc
    .oneof(
      fc.constantFrom(
        '..',
        '../../package.json',
        '..\\..\\package.json',
        '%2e%2e%2fpackage.json',
        'swagger-ui.css.map',
        'SWAGGER-UI.CSS',
        'swagger-ui.css\u0000.js',
        'index.html',
      ),
      fc.string({ minLength: 1, maxLength: 30 }),
      oddText({ minLength: 1, maxLength: 10 }),
    )
    .filter((s) => !['swagger-ui.css', 'swagger-ui-bundle.js', 'favicon-32x32.png'].includes(s)),
}

export const badEmail = fc.oneof(
  notString,
  blank,
  fc.string({ maxLength: 30 }).filter((s) => !s.includes('@')),
  oddText({ maxLength: 8 }).map((s) => `${s}\u0000@example.test`),
)

export const signUpEmail: Field = {
  required: true,
  invalid: fc.oneof(badEmail, fc.constant(`${'a'.repeat(250)}@example.test`)),
}

export const signUpPassword: Field = {
  required: true,
  invalid: fc.oneof(
    notString,
    fc.string({ maxLength: 7 }).filter((s) => s.length < 8),
    fc.string({ minLength: 129, maxLength: 300 }),
  ),
}

export const signInPassword: Field = {
  required: true,
  invalid: fc.oneof(notString, fc.constant(''), fc.string({ minLength: 129, maxLength: 300 })),
}

export const cardToken: Field = {
  required: true,
  invalid: fc.oneof(notString, blank, fc.string({ minLength: 256, maxLength: 600 })),
}

const isLimit = (s: string) => /^\d{1,3}$/.test(s) && Number(s) >= 1 && Number(s) <= 100

export const limit: Field = {
  required: false,
  invalid: fc
    .oneof(
      fc.constantFrom('0', '101', '-1', '1.5', '1e2', ' 5', '5 ', '', 'ten', '0x10', '१०'),
      fc.integer({ min: 101, max: 1_000_000 }).map(String),
      fc.stringMatching(/^\d{4,30}$/),
      oddText({ minLength: 1, maxLength: 5 }),
    )
    .filter((s) => !isLimit(s)),
}

const base64url = (text: string) => Buffer.from(text).toString('base64url')

export const cursor: Field = {
  required: false,
  invalid: fc.oneof(
    fc.constantFrom('', '!!!', '====', 'bm90IGpzb24', base64url('[]'), base64url('{}')),
    oddText({ minLength: 1, maxLength: 10 }),
    fc.jsonValue({ maxDepth: 2 }).map((value) => base64url(JSON.stringify(value))),
    // Well-formed cursors this service never makes: dates PostgreSQL cannot take, bad ids.
    fc
      .tuple(
        fc.constantFrom(
          '0000-01-01T00:00:00.000Z',
          '0000-01-01T00:30:00+01:00',
          '2026-02-31T00:00:00.000Z',
          '2026-01-01 00:00:00Z',
          '9999-12-31T23:59:59-23:59',
          '2026-13-01T00:00:00Z',
          'yesterday',
        ),
        fc.oneof(fc.uuid(), notUuidString),
      )
      .map((pair) => base64url(JSON.stringify(pair))),
    fc.uuid().map((id) => base64url(JSON.stringify(['2026-01-01T00:00:00.000Z', id, 'extra']))),
  ),
}

/** What a person might type into a form field, hostile or not. */
export const typed = fc.oneof(
  fc.string({ maxLength: 20 }),
  oddText({ maxLength: 12 }),
  fc.constantFrom('', ' ', '8,000', '８０００', '¥8000', '-50', '1e9', '49.5', 'tok_visa'),
  fc.string({ minLength: 200, maxLength: 2000 }),
)

/**
 * An `idempotencyKey` form field the storefront does not forward (it takes 8 to 64 word
 * characters): a fuzzed form never reuses a key; input-pages.test.ts tests reuse on its own.
 */
export const notAKey = typed.filter((s) => !/^[\w-]{8,64}$/.test(s))

/** A delivery's transfer code: 1 to 500 characters; optional, as the body has a code or a URL. */
export const deliveryCode: Field = { ...boundedText(500), required: false }

/** A delivery URL it must refuse: not https, not a URL, too long, text it cannot store. */
export const deliveryUrl: Field = {
  required: false,
  invalid: fc.oneof(
    notString,
    blank,
    fc.constantFrom(
      'http://tickets.example.jp/t/1',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      'ftp://tickets.example.jp/t',
      '//tickets.example.jp/t',
      'tickets.example.jp/t',
      'https://',
      `https://tickets.example.jp/${'a'.repeat(2000)}`,
    ),
    fc.webUrl().map((u) => u.replace(/^https?:/, 'http:')),
    oddText({ maxLength: 5 }).map((s) => `https://a.example/\u0000${s}`),
  ),
}

/** A payout status filter that is not one of the stored statuses. */
export const payoutStatus: Field = {
  required: false,
  invalid: fc
    .oneof(
      fc.constantFrom('', 'scheduled', 'HELD', ' paid', 'paid ', 'held,paid', '__proto__'),
      oddText({ minLength: 1, maxLength: 10 }),
    )
    .filter((s) => !['held', 'blocked', 'paid', 'reversed', 'cancelled'].includes(s)),
}

/** Not a Connect account id this service could have made (acct_ and 1–64 word characters). */
export const accountId: Field = {
  required: true,
  invalid: fc
    .oneof(
      fc.constantFrom('', 'acct_', 'acct_x y', "acct_x'--", 'ACCT_x', `acct_${'x'.repeat(65)}`),
      oddText({ minLength: 1, maxLength: 10 }),
    )
    .filter((s) => !/^acct_\w{1,64}$/.test(s)),
}
