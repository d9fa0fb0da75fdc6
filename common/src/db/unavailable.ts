/**
 * Codes of a database that cannot answer now but will: the server is shutting down, starting up
 * or ended the connection (SQLSTATE class 57P and 08, too many connections), or the socket
 * failed (postgres.js and Node codes). drizzle wraps the driver's error in its own: the chain of
 * causes is searched.
 */
const UNAVAILABLE = new Set([
  '57P01',
  '57P02',
  '57P03',
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
  '53300',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
])

/** The code that makes `err` a database outage, or undefined when it is another failure. */
export const unavailableCode = (err: unknown) => codeIn(err, UNAVAILABLE)

/** Whether `err` is a unique constraint's refusal (SQLSTATE 23505), from either driver. */
export const isUniqueViolation = (err: unknown) => codeIn(err, UNIQUE_VIOLATION) !== undefined

const UNIQUE_VIOLATION = new Set(['23505'])

/** The first code among `codes` on `err` or the errors that caused it. */
function codeIn(err: unknown, codes: ReadonlySet<string>): string | undefined {
  let current: unknown = err
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && codes.has(code)) return code
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
