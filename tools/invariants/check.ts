import process from 'node:process'
import { ConfigError, kafkaSasl, kafkaSaslConfigEntries, readConfig } from '@twtix/common'
import * as v from 'valibot'
import { checkInvariants } from './check-invariants.ts'
import { openServiceDbs } from './databases.ts'
import { type ExpectedDeadLetters, parseExpectedDeadLetters } from './dead-letters.ts'
import { formatCheck } from './report.ts'

// `npm run check:invariants [-- --expect-dlq=<n>|<topic>=<n>,... --grace-seconds=<n> --json]`
// Reads every service's data read-only and exits 0 only when every invariant holds.
const usage =
  'usage: check:invariants [--expect-dlq=<n>|<topic>=<n>,...] [--grace-seconds=<n>] [--json]'

const CheckConfigSchema = v.object({
  PG_URL: v.optional(v.string(), 'postgres://postgres@127.0.0.1:5432/postgres'),
  DATABASE_URL: v.optional(v.string()),
  /** The stack's `<prefix><service>` databases (`npm run stack`'s STACK_DB_PREFIX). */
  STACK_DB_PREFIX: v.optional(v.string(), 'twtix_'),
  KAFKA_BROKERS: v.optional(v.string()),
  /** An admin's SCRAM user where the broker asks for one (Compose: admin). */
  ...kafkaSaslConfigEntries(),
  TOPIC_PREFIX: v.optional(v.string(), ''),
})

function parseArgs(argv: string[]) {
  let expectDeadLetters: ExpectedDeadLetters = 0
  let graceMs = 10_000
  let json = false
  for (const arg of argv) {
    const [name, value = ''] = arg.split(/=(.*)/s)
    if (name === '--expect-dlq') expectDeadLetters = parseExpectedDeadLetters(value)
    else if (name === '--grace-seconds' && /^\d+$/.test(value)) graceMs = Number(value) * 1000
    else if (name === '--json') json = true
    else throw new Error(`unknown argument ${arg}\n${usage}`)
  }
  return { expectDeadLetters, graceMs, json }
}

async function main(): Promise<number> {
  let config: v.InferOutput<typeof CheckConfigSchema>
  let args: ReturnType<typeof parseArgs>
  try {
    config = readConfig(CheckConfigSchema, process.env)
    kafkaSasl(config)
    args = parseArgs(process.argv.slice(2))
  } catch (err) {
    if (!(err instanceof ConfigError || err instanceof Error)) throw err
    console.error(`check:invariants: ${err.message}`)
    return 2
  }
  const opened = openServiceDbs({
    pgUrl: config.PG_URL,
    databaseUrl: config.DATABASE_URL,
    dbPrefix: config.STACK_DB_PREFIX,
  })
  try {
    const result = await checkInvariants({
      dbs: opened.dbs,
      kafka: config.KAFKA_BROKERS
        ? {
            brokers: config.KAFKA_BROKERS.split(','),
            sasl: kafkaSasl(config),
            topicPrefix: config.TOPIC_PREFIX,
          }
        : undefined,
      expectDeadLetters: args.expectDeadLetters,
      graceMs: args.graceMs,
    })
    if (args.json) {
      const { violations, deadLetters, counts } = result
      console.log(JSON.stringify({ ok: violations.length === 0, counts, deadLetters, violations }))
    } else {
      console.log(formatCheck(result))
    }
    return result.violations.length === 0 ? 0 : 1
  } catch (err) {
    console.error(`check:invariants: ${err instanceof Error ? err.message : String(err)}`)
    return 2
  } finally {
    await opened.close()
  }
}

process.exit(await main())
