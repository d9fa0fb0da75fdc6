import { memoryLogger } from '../logger.ts'
import { busContract } from '../testing/bus-contract.ts'
import { createInProcessBus } from './in-process.ts'

busContract('in-process', async (policy) => createInProcessBus({ policy, logger: memoryLogger() }))
