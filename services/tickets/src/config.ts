import { baseConfigEntries, tokenConfigEntries } from '@twtix/common'
import * as v from 'valibot'

export const TicketsConfigSchema = v.object({
  ...baseConfigEntries(3002),
  ...tokenConfigEntries(),
})

export type TicketsConfig = v.InferOutput<typeof TicketsConfigSchema>
