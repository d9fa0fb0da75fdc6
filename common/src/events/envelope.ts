import * as v from 'valibot'
import {
  baseTopicOf,
  type EventData,
  eventSchemas,
  type Subject,
  topicOwners,
} from './catalogue.ts'

export const EnvelopeSchema = v.object({
  id: v.pipe(v.string(), v.uuid()),
  type: v.string(),
  source: v.string(),
  occurredAt: v.pipe(v.string(), v.isoTimestamp()),
  correlationId: v.optional(v.string()),
  data: v.unknown(),
})

export type Envelope<S extends Subject = Subject> = {
  id: string
  type: S
  source: string
  occurredAt: string
  correlationId?: string
  data: EventData<S>
}

export type AnyEnvelope = { [S in Subject]: Envelope<S> }[Subject]

/** Thrown for a message that can never be handled; the bus dead-letters it at once. */
export class PoisonMessageError extends Error {}

/** The one service that publishes a subject: the owner of its topic (`tickets` for ticket.*). */
export const sourceOf = (subject: Subject): string => topicOwners[baseTopicOf(subject)]

/** An event of `type`, its source the subject's owner (no service speaks for another). */
export function createEnvelope<S extends Subject>(
  type: S,
  data: EventData<S>,
  meta: { correlationId?: string; occurredAt?: Date; id?: string } = {},
): Envelope<S> {
  return {
    id: meta.id ?? crypto.randomUUID(),
    type,
    source: sourceOf(type),
    occurredAt: (meta.occurredAt ?? new Date()).toISOString(),
    correlationId: meta.correlationId,
    data: v.parse(eventSchemas[type], data) as EventData<S>,
  }
}

/** Parses a message value into a typed envelope or throws `PoisonMessageError`. */
export function parseEnvelope(value: string): AnyEnvelope {
  return parseEnvelopeFor(value, () => true) as AnyEnvelope
}

/**
 * parseEnvelope for a consumer that handles some subjects only: a well-formed envelope of a
 * subject it does not handle is `undefined`, its data left unread. A topic carries several
 * subjects, and data only their handlers must vouch for: one consumer group dead-letters a
 * message, not every group that reads the topic.
 */
export function parseEnvelopeFor(
  value: string,
  handles: (subject: Subject) => boolean,
): AnyEnvelope | undefined {
  let json: unknown
  try {
    json = JSON.parse(value)
  } catch {
    throw new PoisonMessageError('message is not JSON')
  }
  const envelope = v.safeParse(EnvelopeSchema, json)
  if (!envelope.success) {
    throw new PoisonMessageError(`bad envelope: ${envelope.issues[0].message}`)
  }
  const type = envelope.output.type
  if (!Object.hasOwn(eventSchemas, type)) {
    throw new PoisonMessageError(`unknown event type ${type}`)
  }
  const owner = sourceOf(type as Subject)
  if (envelope.output.source !== owner) {
    throw new PoisonMessageError(
      `${type} from ${envelope.output.source}: only ${owner} publishes it`,
    )
  }
  if (!handles(type as Subject)) return undefined
  const data = v.safeParse(eventSchemas[type as Subject], envelope.output.data)
  if (!data.success) {
    const issue = data.issues[0]
    const field = issue.path?.map((p) => String(p.key)).join('.')
    throw new PoisonMessageError(
      `${type} data invalid${field ? ` at ${field}` : ''}: ${issue.message}`,
    )
  }
  return { ...envelope.output, data: data.output } as AnyEnvelope
}
