import * as v from 'valibot'
import { parseTrustedProxies } from './http/client-address.ts'

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>

/**
 * Reads and validates a service's environment once. Empty strings count as unset so that
 * `FOO=` in an .env file falls back to the default. The error names the first bad variable.
 */
export function readConfig<S extends v.GenericSchema>(schema: S, env: Env): v.InferOutput<S> {
  const cleaned: Env = {}
  for (const [k, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[k] = value
  }
  const result = v.safeParse(schema, cleaned)
  if (result.success) return result.output
  const issue = result.issues[0]
  const name = issue.path?.map((p: { key: unknown }) => String(p.key)).join('.') ?? 'environment'
  const got = issue.input === undefined ? 'it is missing' : 'its value is invalid'
  throw new ConfigError(`Configuration error: ${name}: ${issue.message} (${got})`)
}

/** Common building blocks for config schemas. */
export const envInt = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number'),
      v.transform(Number),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    String(fallback),
  )

/** A decimal such as 1.0 or 1.25 (up to four places), within [min, max]. */
export const envRatio = (fallback: string, min: number, max: number) =>
  v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,6}(\.\d{1,4})?$/, 'must be a number such as 1.0'),
      v.transform(Number),
      v.minValue(min, `must be at least ${min}`),
      v.maxValue(max, `must be at most ${max}`),
    ),
    fallback,
  )

export const envBool = (fallback: boolean) =>
  v.optional(
    v.pipe(
      v.picklist(['true', 'false', '1', '0', 'yes', 'no'], 'must be true or false'),
      v.transform((s) => s === 'true' || s === '1' || s === 'yes'),
    ),
    fallback ? 'true' : 'false',
  )

/** `TRUSTED_PROXIES`: addresses or CIDR ranges, or `loopback` / `private`; none by default. */
export const envTrustedProxies = () =>
  v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
          return parseTrustedProxies(dataset.value)
        } catch (err) {
          addIssue({ message: (err as Error).message })
          return NEVER
        }
      }),
    ),
    '',
  )

export const envUrl = () => v.pipe(v.string(), v.url('must be a URL'))

export const LogLevelSchema = v.optional(v.picklist(['debug', 'info', 'warn', 'error']), 'info')

/**
 * How a service signs in to Kafka: SASL/SCRAM as its own user (`KAFKA_SASL_USERNAME`), which the
 * broker's ACLs let write its own topics only. All unset: no SASL (a PLAINTEXT listener).
 */
export function kafkaSaslConfigEntries() {
  return {
    KAFKA_SASL_MECHANISM: v.optional(
      v.pipe(
        v.string(),
        v.toLowerCase(),
        v.picklist(['scram-sha-256', 'scram-sha-512'], 'must be SCRAM-SHA-256 or SCRAM-SHA-512'),
      ),
    ),
    KAFKA_SASL_USERNAME: v.optional(v.string()),
    KAFKA_SASL_PASSWORD: v.optional(v.string()),
  }
}

/** Variables every service reads: where it listens, its database, its bus, its logs. */
export function baseConfigEntries(defaultPort: number) {
  return {
    PORT: envInt(defaultPort, 1, 65_535),
    HOST: v.optional(v.string(), '0.0.0.0'),
    DATABASE_URL: v.optional(
      v.pipe(v.string(), v.regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')),
    ),
    DATABASE_POOL_SIZE: envInt(10, 1, 500),
    PGLITE_DIR: v.optional(v.string()),
    KAFKA_BROKERS: v.optional(
      v.pipe(v.string(), v.regex(/^[^,\s]+(,[^,\s]+)*$/, 'must be host:port[,host:port]')),
    ),
    KAFKA_PARTITIONS: envInt(3, 1, 1000),
    ...kafkaSaslConfigEntries(),
    TOPIC_PREFIX: v.optional(
      v.pipe(v.string(), v.regex(/^[\w.-]*$/, 'letters, digits, . _ - only')),
      '',
    ),
    LOG_LEVEL: LogLevelSchema,
    SHUTDOWN_TIMEOUT_MS: envInt(8000, 100),
  }
}

/** How a service checks session tokens: who issues them, for whom, and where auth's keys are. */
export function tokenConfigEntries() {
  return {
    TOKEN_ISSUER: v.optional(v.string(), 'twtix-auth'),
    TOKEN_AUDIENCE: v.optional(v.string(), 'twtix'),
    /** auth's JWKS, e.g. http://auth:3001/api/users/.well-known/jwks.json (standalone services). */
    AUTH_JWKS_URL: v.optional(envUrl()),
    /** auth's keys are reloaded this often: a retired key stops being trusted within it. */
    AUTH_KEYS_REFRESH_SECONDS: envInt(300, 1, 86_400),
    /** Revoked sessions are re-read from the table this often (other replicas' revocations). */
    REVOCATIONS_REFRESH_SECONDS: envInt(5, 1, 3600),
  }
}
