import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../logger.ts'
import { busContract } from '../testing/bus-contract.ts'
import { createInProcessBus } from './in-process.ts'

// The shared contract (ordering per key, groups, redelivery, dead letters, batches) that the Kafka
// adapter passes against a real broker, here against the in-process adapter.
busContract('in-process', async (policy) => createInProcessBus({ policy, logger: memoryLogger() }))

describe('in-process bus, once closed', () => {
  it('refuses to publish, subscribe or answer a ping, as a lost broker connection would', async () => {
    const bus = createInProcessBus({ logger: memoryLogger() })
    await bus.ping()
    await bus.close()
    await expect(bus.publish('t', [{ key: 'k', value: '{}' }])).rejects.toThrow('bus is closed')
    await expect(
      bus.subscribe({ group: 'g', topics: ['t'], handler: async () => {} }),
    ).rejects.toThrow('bus is closed')
    await expect(bus.ping()).rejects.toThrow('bus is closed')
  })
})
