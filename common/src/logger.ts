import process from 'node:process'
import { setImmediate } from 'node:timers'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export type Logger = {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(fields: LogFields): Logger
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

// Keys whose values must never reach a log line, whatever the caller passes.
const secret = /pass(word)?|token|secret|authorization|cookie|signature|card/i

/** A SQLSTATE: five digits or capitals (23505), unlike a socket's code (ECONNRESET). */
const sqlState = /^[0-9A-Z]{5}$/

/**
 * An error's message without the values a statement carried: drizzle's "Failed query" lists its
 * bound parameters (a password hash, a private key), and PostgreSQL quotes values in some of its
 * messages ("invalid input syntax for type uuid: …"). A query error keeps its statement, whose
 * values are placeholders; a PostgreSQL error keeps its SQLSTATE, its constraint and its table.
 */
function messageOf(error: Error): string {
  const { query, params } = error as Error & { query?: unknown; params?: unknown }
  if (typeof query === 'string' && params !== undefined) return `Failed query: ${query}`
  const { code } = error as Error & { code?: unknown }
  if (typeof code === 'string' && sqlState.test(code)) return `PostgreSQL error ${code}`
  return error.message
}

/** The constraint and table a PostgreSQL error names (postgres.js and pg/PGlite spell them apart). */
function constraintOf(error: Error): LogFields {
  const e = error as Error & Record<string, unknown>
  if (typeof e.code !== 'string' || !sqlState.test(e.code)) return {}
  const constraint = e.constraint_name ?? e.constraint
  const table = e.table_name ?? e.table
  return {
    ...(typeof constraint === 'string' ? { constraint } : {}),
    ...(typeof table === 'string' ? { table } : {}),
  }
}

function redact(value: unknown, depth = 0): unknown {
  if (depth > 4 || value === null || typeof value !== 'object') return value
  if (value instanceof Error) {
    // The cause says why: a driver's "Failed query" wraps the connection error that made it fail.
    const { code, cause } = value as Error & { code?: unknown }
    return {
      name: value.name,
      message: messageOf(value),
      ...(typeof code === 'string' ? { code } : {}),
      ...constraintOf(value),
      ...(cause !== undefined ? { cause: redact(cause, depth + 1) } : {}),
    }
  }
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: LogFields = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = secret.test(k) ? '[redacted]' : redact(v, depth + 1)
  }
  return out
}

export type LogSink = (line: string) => void

// Lines wait for the end of the event loop's turn and go out in one write: a write per line cost
// a system call per request under load. `exit` (also after an uncaught exception) writes what is
// left; a SIGKILL loses one turn's lines at most.
let pending: string[] = []
let scheduled = false
function flushLines() {
  scheduled = false
  if (pending.length === 0) return
  const out = pending.join('')
  pending = []
  process.stdout.write(out)
}
process.on('exit', flushLines)

const stdoutSink: LogSink = (line) => {
  pending.push(`${line}\n`)
  if (pending.length >= 512) flushLines()
  else if (!scheduled) {
    scheduled = true
    setImmediate(flushLines)
  }
}

/** Structured JSON logs, one object per line. */
export function createLogger(
  options: { level?: LogLevel; fields?: LogFields; sink?: LogSink } = {},
): Logger {
  const min = order[options.level ?? 'info']
  const sink = options.sink ?? stdoutSink
  const base = options.fields ?? {}
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (order[level] < min) return
    const entry = { time: new Date().toISOString(), level, msg, ...base, ...fields }
    sink(JSON.stringify(redact(entry)))
  }
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
    child: (fields) => createLogger({ ...options, fields: { ...base, ...fields } }),
  }
}

/** A logger that keeps its lines, for tests that assert on what was (not) logged. */
export function memoryLogger(level: LogLevel = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = []
  const logger = createLogger({ level, sink: (line) => lines.push(line) })
  return Object.assign(logger, { lines })
}
