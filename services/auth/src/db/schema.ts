import { outboxTable, processedEventsTable, type Role } from '@twtix/common'
import { sql } from 'drizzle-orm'
import {
  boolean,
  index,
  jsonb,
  pgSchema,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core'
import type { JWK } from 'jose'

export const authSchema = pgSchema('auth')

export const users = authSchema.table(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    passwordHash: text('password_hash').notNull(),
    /** 'user' or 'admin' (ADMIN_EMAILS); carried in the user's tokens. */
    role: text('role').$type<Role>().notNull().default('user'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Emails are unique whatever their case: the database, not a lookup, enforces it.
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
)

/**
 * Signing keys. The newest active key signs; every active key is published in the JWKS; a
 * retired key (active false) is neither. The private key is stored sealed (AES-256-GCM under
 * AUTH_KEY_ENCRYPTION_KEY); `private_jwk` is the plaintext of keys made before sealing, sealed
 * and emptied at the next start.
 */
export const signingKeys = authSchema.table('signing_keys', {
  kid: text('kid').primaryKey(),
  privateJwk: jsonb('private_jwk').$type<JWK>(),
  sealedPrivateJwk: text('sealed_private_jwk'),
  publicJwk: jsonb('public_jwk').$type<JWK>().notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
})

/**
 * A signed-in session: what refresh renews and sign-out ends. Only a hash of the refresh
 * secret is kept, and the previous one, to recognise a stolen secret used again.
 */
export const sessions = authSchema.table(
  'sessions',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    refreshHash: text('refresh_hash').notNull(),
    previousRefreshHash: text('previous_refresh_hash'),
    refreshedAt: timestamp('refreshed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
)

export type SessionRow = typeof sessions.$inferSelect

export const outbox = outboxTable(authSchema)
export const processedEvents = processedEventsTable(authSchema)
