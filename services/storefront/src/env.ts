import type { AppVariables } from '@twtix/common'
import type { Context } from 'hono'
import type { SecureHeadersVariables } from 'hono/secure-headers'
import type { Api, User } from './api.ts'

/** What every storefront handler can read from the context. */
export type StorefrontEnv = {
  Variables: AppVariables &
    SecureHeadersVariables & {
      api: Api
      /** The signed-in user as the API sees the browser's session, or null. */
      user: User | null
    }
}

export type StorefrontContext = Context<StorefrontEnv>
