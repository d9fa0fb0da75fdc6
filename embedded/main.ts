import { rmSync } from 'node:fs'
import process from 'node:process'
import {
  ConfigError,
  createLogger,
  envBool,
  envInt,
  LogLevelSchema,
  readConfig,
  serveHttp,
} from '@twtix/common'
import * as v from 'valibot'
import { createEmbedded } from './create-embedded.ts'

const EmbeddedConfigSchema = v.object({
  PORT: envInt(3000, 1, 65_535),
  HOST: v.optional(v.string(), '0.0.0.0'),
  TWTIX_DATA_DIR: v.optional(v.string(), '.data/pglite'),
  /** Start from an empty database (also `npm start -- --fresh`). */
  TWTIX_FRESH: envBool(false),
  LOG_LEVEL: LogLevelSchema,
})

async function main() {
  let config: v.InferOutput<typeof EmbeddedConfigSchema>
  try {
    config = readConfig(EmbeddedConfigSchema, process.env)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`twtix: ${err.message}`)
    process.exit(1)
  }
  if (config.TWTIX_FRESH || process.argv.includes('--fresh')) {
    rmSync(config.TWTIX_DATA_DIR, { recursive: true, force: true })
  }
  const logger = createLogger({ level: config.LOG_LEVEL === 'info' ? 'warn' : config.LOG_LEVEL })
  let embedded: Awaited<ReturnType<typeof createEmbedded>>
  try {
    embedded = await createEmbedded({ env: process.env, dataDir: config.TWTIX_DATA_DIR, logger })
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`twtix: ${err.message}`)
    process.exit(1)
  }
  const server = await serveHttp(embedded.fetch, { port: config.PORT, hostname: config.HOST })
  const runtime = 'Deno' in globalThis ? 'Deno' : `Node ${process.versions.node}`
  console.log(`twtix embedded marketplace on http://localhost:${server.port} (${runtime})`)
  for (const line of embedded.lines) console.log(`  ${line}`)

  let stopping = false
  const stop = async () => {
    if (stopping) return
    stopping = true
    await server.close()
    await embedded.stop()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

await main()
