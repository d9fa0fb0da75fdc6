import fc from 'fast-check'

/** Bounded runs: the whole hostile suite stays well under a minute on two cores. */
export const RUNS = { numRuns: 50 }

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Characters that break naive code: NUL and controls, lone surrogates, invisible and bidi marks. */
export const oddCharacter = fc.constantFrom(
  '\u0000',
  '\u0001',
  '\u001b',
  '\u007f',
  '\t',
  '\n',
  '\r',
  '\ud800',
  '\udfff',
  '\ufeff',
  '\ufffd',
  '\uffff',
  '\u200b',
  '\u200d',
  '\u202e',
  '\u2028',
  '\u2029',
  '\u0301',
  '\u00a0',
  '\u3000',
  'ｱ',
  '𝕏',
  '👩‍👩‍👧',
  '🇯🇵',
  '\\',
  '"',
  "'",
  '%00',
  '{{x}}',
  '<script>',
)

/** Text mixing ordinary and odd characters (including unpaired surrogates). */
export const oddText = (options: { minLength?: number; maxLength?: number } = {}) =>
  fc
    .array(fc.oneof(oddCharacter, fc.string({ unit: 'binary', maxLength: 3 })), {
      minLength: options.minLength ?? 0,
      maxLength: options.maxLength ?? 20,
    })
    .map((parts) => parts.join(''))

/** Any JSON value that is not a string. */
export const notString = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
)

/** Any JSON value that is not a number, numeric-looking strings included. */
export const notNumber = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.integer().map(String),
  fc.constantFrom('500', '5e2', '0x1F4', 'Infinity', 'NaN', ''),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
)

/** A string that is not a UUID: random, odd, almost-UUIDs, empty and long. */
export const notUuidString = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    oddText({ maxLength: 10 }),
    fc.uuid().map((u) => `${u}x`),
    fc.uuid().map((u) => u.slice(1)),
    fc.uuid().map((u) => u.replaceAll('-', '')),
    fc.uuid().map((u) => `{${u}}`),
    fc.uuid().map((u) => u.replace(/[0-9a-f]/, 'g')),
    fc.uuid().map((u) => u.replace('-', '\u2010')),
    fc.uuid().map((u) => `${u}\u0000`),
    fc.uuid().map((u) => ` ${u}`),
    fc.constantFrom('', 'null', 'undefined', '0', '-1', '1 OR 1=1', "' or ''='", '../..'),
    fc.string({ minLength: 300, maxLength: 2000 }),
  )
  .filter((s) => !uuidPattern.test(s))

export const notUuid = fc.oneof(notString, notUuidString)

/** Strings that are empty once trimmed. */
export const blank = fc
  .array(fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u2028', '\ufeff'), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''))

/** Numbers a price can never be: fractional, negative, too small, too large, enormous. */
export const badPriceNumber = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Number.isInteger(n)),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: 49 }),
  fc.integer({ min: 10_000_000, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ min: 1e7, max: Number.MAX_VALUE, noNaN: true }),
  fc.double({ min: -Number.MAX_VALUE, max: 49.999, noNaN: true }),
  fc.constantFrom(-0, 0, 49, 10_000_000, 49.5, 50.5, 1e21, -1e21, Number.MAX_VALUE),
)

/**
 * Numeric literals as they appear in JSON text, including ones JavaScript can only
 * approximate: `1e400` parses to Infinity, long digit strings lose precision.
 */
export const numericLiteral = fc.oneof(
  fc.integer({ min: -99_999_999, max: 99_999_999 }).map(String),
  fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }).map(String),
  fc
    .tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: -400, max: 400 }))
    .map(([m, e]) => `${m}e${e}`),
  fc
    .tuple(fc.integer({ min: 0, max: 99_999 }), fc.stringMatching(/^\d{1,25}$/))
    .map(([i, f]) => `${i}.${f}`),
  fc.constantFrom('5e1', '50.0', '5000E-2', '9999999.0000000001', '-0', '1e400', '-1e400', '0.5e2'),
)

/** Text that JSON.parse refuses. */
export const malformedJson = fc
  .oneof(
    fc.string({ maxLength: 40 }),
    fc.constantFrom(
      '{',
      '{"title": ',
      "{'title': 'x'}",
      '{"price": 500,}',
      '{title: "x"}',
      '[1, 2',
      'undefined',
      'NaN',
      '{"a":1}{"b":2}',
      '\u0000',
      '{"a":"\\x41"}',
      '{"a":"\\ud83d\\u"}',
    ),
    fc.json().map((text) => `${text}}`),
  )
  .filter((text) => {
    try {
      JSON.parse(text)
      return false
    } catch {
      return true
    }
  })

/** JSON values that are not objects: a body of these can never be valid. */
export const notObjectJson = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 20 }),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
)

/** Keys no schema knows, with any JSON value: extra fields. */
export const extraFields = (known: string[]) =>
  fc.dictionary(
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((k) => !known.includes(k) && k !== '__proto__'),
    fc.jsonValue({ maxDepth: 2 }),
    { maxKeys: 4 },
  )

/** Idempotency-Key headers, sometimes: a refused request must not keep one. */
export const maybeIdempotencyKey = fc.option(
  fc.stringMatching(/^[\x21-\x7e]{1,40}$/).map((key) => ({ 'Idempotency-Key': key })),
  { nil: undefined },
)
