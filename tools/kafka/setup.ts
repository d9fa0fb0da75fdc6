import process from 'node:process'
import { ConfigError, envInt, kafkaSasl, kafkaSaslConfigEntries, readConfig } from '@twtix/common'
import kafkajs from 'kafkajs'
import * as v from 'valibot'
import { setupKafka } from './acls.ts'

// `node --import tsx tools/kafka/setup.ts`: twtix's topics and each service's ACLs, as an admin.
// Run by tools/kafka-start.sh (PLAINTEXT, a super user on this machine) and by Compose's
// kafka-init (SASL as the admin user) before the services start; `npm run stack` does the same
// in-process for its TOPIC_PREFIX. Prints one line; exits 1 with the reason on failure.
const SetupConfigSchema = v.object({
  KAFKA_BROKERS: v.pipe(v.string(), v.regex(/^[^,\s]+(,[^,\s]+)*$/, 'must be host:port[,...]')),
  ...kafkaSaslConfigEntries(),
  KAFKA_PARTITIONS: envInt(3, 1, 1000),
  TOPIC_PREFIX: v.optional(v.pipe(v.string(), v.regex(/^[\w.-]*$/)), ''),
})

async function main(): Promise<number> {
  let config: v.InferOutput<typeof SetupConfigSchema>
  let sasl: ReturnType<typeof kafkaSasl>
  try {
    config = readConfig(SetupConfigSchema, process.env)
    sasl = kafkaSasl(config)
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err
    console.error(`kafka-setup: ${err.message}`)
    return 1
  }
  const kafka = new kafkajs.Kafka({
    clientId: 'twtix-kafka-setup',
    brokers: config.KAFKA_BROKERS.split(','),
    sasl,
    logLevel: kafkajs.logLevel.NOTHING,
    retry: { retries: 8 },
  })
  const admin = kafka.admin()
  try {
    await admin.connect()
    const done = await setupKafka({
      admin,
      prefix: config.TOPIC_PREFIX,
      partitions: config.KAFKA_PARTITIONS,
    })
    const created = done.topicsCreated.length > 0 ? done.topicsCreated.join(', ') : 'none'
    console.log(
      `kafka-setup: ${done.acls} ACLs for the services (${done.removed} stale removed); topics created: ${created}`,
    )
    return 0
  } catch (err) {
    console.error(`kafka-setup: ${err instanceof Error ? err.message : String(err)}`)
    return 1
  } finally {
    await admin.disconnect()
  }
}

process.exit(await main())
