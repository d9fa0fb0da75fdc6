import { NotFoundError, PoisonMessageError } from '@twtix/common'

/**
 * Orders are created only here, so an event about an order this service does not have can
 * never succeed: it goes straight to the dead-letter topic instead of being retried.
 */
export async function unknownOrderIsPoison<T>(work: Promise<T>): Promise<T> {
  try {
    return await work
  } catch (err) {
    if (err instanceof NotFoundError) throw new PoisonMessageError(err.message)
    throw err
  }
}
