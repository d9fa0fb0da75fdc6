import kafkajs from 'kafkajs'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../logger.ts'
import { eventually } from '../testing/test-database.ts'
import { lostTheBroker, outageReplacements, startKafkaSubscription } from './kafka-consumer.ts'
import { defaultRetryPolicy } from './port.ts'

const {
  Kafka,
  KafkaJSConnectionError,
  KafkaJSGroupCoordinatorNotFound,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
} = kafkajs

// How kafkajs's retrier wraps an error it gives up on (its types leave out the cause).
const gaveUpOn = (cause: Error) => Object.assign(new KafkaJSNonRetriableError(cause), { cause })

describe('lostTheBroker', () => {
  it('tells the errors of a broker that is away from the others, as kafkajs wraps them', () => {
    // What a consumer crashed with when the broker restarted while it looked for its coordinator.
    // (kafkajs's types say this one takes no message; it throws without one.)
    const NotFound = KafkaJSGroupCoordinatorNotFound as unknown as new (message: string) => Error
    const coordinator = new NotFound('Failed to find group coordinator')
    expect(lostTheBroker(gaveUpOn(coordinator))).toBe(true)
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
      code: 'ECONNREFUSED',
    })
    expect(
      lostTheBroker(new KafkaJSNumberOfRetriesExceeded(refused, { retryCount: 5, retryTime: 300 })),
    ).toBe(true)

    const denied = new KafkaJSProtocolError(
      Object.assign(new Error('Not authorized to access group'), {
        type: 'GROUP_AUTHORIZATION_FAILED',
        retriable: false,
      }),
    )
    expect(lostTheBroker(gaveUpOn(denied))).toBe(false)
    expect(lostTheBroker(new Error('handler bug'))).toBe(false)
    expect(lostTheBroker('Failed to find group coordinator')).toBe(false)
  })
})

describe('a consumer whose broker cannot be reached', () => {
  it('is replaced again and again, a warning at first and an error once it keeps failing', async () => {
    const logger = memoryLogger('warn')
    // A real kafkajs client, pointed at a port nothing listens on, that gives up at once.
    const kafka = new Kafka({
      clientId: 'consumer-test',
      brokers: ['127.0.0.1:9'],
      retry: { retries: 0 },
      logLevel: kafkajs.logLevel.NOTHING,
    })
    const subscription = startKafkaSubscription({
      kafka,
      group: 'consumer-test',
      topics: ['consumer-test'],
      handler: async () => {},
      policy: defaultRetryPolicy,
      logger,
      publishDeadLetter: async () => {},
      settings: {
        config: { heartbeatInterval: 1000, retry: { retries: 0 } },
        concurrency: 1,
        fromBeginning: true,
        joinTimeoutMs: 60_000,
      },
    })
    const joined = subscription.joined.then(
      () => 'joined',
      (err: Error) => err.message,
    )
    const replacements = () =>
      logger.lines
        .map((line) => JSON.parse(line) as { level: string; msg: string; wait: number })
        .filter((line) => line.msg.endsWith('starting a new one'))
    // Backing off 1, 2 then 4 s before each new consumer.
    await eventually(() => replacements().length > outageReplacements, { timeoutMs: 20_000 })
    await subscription.close()
    const seen = replacements().slice(0, outageReplacements + 1)
    expect(seen.map((r) => r.level)).toEqual([...Array(outageReplacements).fill('warn'), 'error'])
    expect(seen.map((r) => r.wait)).toEqual([1000, 2000, 4000, 8000])
    expect(await joined).toBe('kafka consumer of group consumer-test closed before it joined')
  }, 30_000)
})
