import { PoisonMessageError } from '../events/envelope.ts'
import type { Logger } from '../logger.ts'
import {
  type BatchHandler,
  type BusMessage,
  deadLetterTopic,
  type MessageHandler,
  type RetryPolicy,
} from './port.ts'

export type DeliveryOutcome = 'handled' | 'dead-lettered' | 'abandoned'

export type DeliveryContext = {
  group: string
  policy: RetryPolicy
  logger: Logger
  /** False once the subscription is closing or lost its partition: stop without committing. */
  active: () => boolean
  publishDeadLetter: (topic: string, message: BusMessage, error: string) => Promise<void>
  sleep?: (ms: number) => Promise<void>
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

function describe(err: unknown) {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err)
}

/**
 * The delivery loop both adapters share: call the handler, retry with backoff, dead-letter
 * after the last attempt or at once for a poison message. The caller commits the offset only
 * for 'handled' and 'dead-lettered'.
 */
export async function deliver(
  message: BusMessage,
  handler: MessageHandler,
  ctx: DeliveryContext,
): Promise<DeliveryOutcome> {
  const sleep = ctx.sleep ?? defaultSleep
  const where = { group: ctx.group, topic: message.topic, key: message.key, offset: message.offset }
  for (let attempt = 1; ; attempt++) {
    if (!ctx.active()) return 'abandoned'
    try {
      await handler(message)
      return 'handled'
    } catch (err) {
      const poison = err instanceof PoisonMessageError
      if (poison || attempt >= ctx.policy.maxAttempts) {
        const error = describe(err)
        await ctx.publishDeadLetter(deadLetterTopic(message.topic), message, error)
        ctx.logger.error('message dead-lettered', { ...where, attempt, error })
        return 'dead-lettered'
      }
      const wait = ctx.policy.backoffMs(attempt)
      ctx.logger.warn('handler failed, will retry', {
        ...where,
        attempt,
        wait,
        error: describe(err),
      })
      await sleep(wait)
    }
  }
}

/**
 * Offers consecutive messages to the batch handler once; true when it handled them all. False
 * (the caller then delivers each one alone) when it threw: the batch's transaction rolled back,
 * so nothing of it was applied.
 */
export async function deliverBatch(
  messages: BusMessage[],
  batchHandler: BatchHandler,
  ctx: Pick<DeliveryContext, 'group' | 'logger' | 'active'>,
): Promise<boolean> {
  if (!ctx.active()) return false
  try {
    await batchHandler(messages)
    return true
  } catch (err) {
    const first = messages[0] as BusMessage
    ctx.logger.info('batch failed; delivering its messages one at a time', {
      group: ctx.group,
      topic: first.topic,
      partition: first.partition,
      offset: first.offset,
      count: messages.length,
      error: describe(err),
    })
    return false
  }
}

/** The headers a dead letter carries, so it can be inspected and replayed. */
export function deadLetterHeaders(message: BusMessage, group: string, error: string) {
  return {
    ...message.headers,
    'x-dlq-error': error.slice(0, 1000),
    'x-dlq-group': group,
    'x-dlq-topic': message.topic,
    'x-dlq-partition': String(message.partition),
    'x-dlq-offset': message.offset,
  }
}
