import kafkajs, { type Kafka, type Producer } from 'kafkajs'
import type { OutgoingMessage } from './port.ts'

const { Partitioners } = kafkajs

export type KafkaPublisher = {
  publish(topic: string, messages: OutgoingMessage[]): Promise<void>
  close(): Promise<void>
}

/**
 * One idempotent producer, connected on the first publish. Publishes run one after another, so
 * they reach the broker in call order; each resolves once the broker acknowledged (acks=all).
 *
 * kafkajs retries a send a bounded number of times (the client's `retry`), so a publish during an
 * outage rejects after a while instead of holding the relay (and shutdown) until the broker is
 * back; the relay publishes the rows again on its next pass. A failed send may or may not have
 * been written: the producer is dropped and the next publish uses a fresh one (a new producer id),
 * so the retry is written again (consumers drop the duplicate by event id) rather than taken for
 * a duplicate of another batch or refused for a sequence gap forever.
 */
export function createKafkaPublisher(
  kafka: Kafka,
  ensureTopic: (topic: string) => Promise<void>,
): KafkaPublisher {
  let current: { producer: Producer; connected: boolean } | undefined
  let queue: Promise<unknown> = Promise.resolve()
  let closed = false

  async function send(topic: string, messages: OutgoingMessage[]) {
    await ensureTopic(topic)
    current ??= {
      producer: kafka.producer({
        idempotent: true,
        // One request in flight: a retried request cannot overtake a later one.
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      }),
      connected: false,
    }
    const used = current
    try {
      if (!used.connected) {
        await used.producer.connect()
        used.connected = true
      }
      await used.producer.send({
        topic,
        acks: -1,
        messages: messages.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })
    } catch (err) {
      if (current === used) current = undefined
      void used.producer.disconnect().catch(() => {})
      throw err
    }
  }

  return {
    publish(topic, messages) {
      if (closed) return Promise.reject(new Error('bus is closed'))
      if (messages.length === 0) return Promise.resolve()
      const sent = queue.then(() => send(topic, messages))
      queue = sent.catch(() => {})
      return sent
    },
    async close() {
      closed = true
      await queue
      const last = current
      current = undefined
      if (last?.connected) await last.producer.disconnect()
    },
  }
}
