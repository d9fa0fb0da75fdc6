import { dirname, join } from 'node:path'
import process from 'node:process'
import { HttpError } from '@twtix/common'
import { createDatabase, migrateService } from '@twtix/common/db'
import { listSigningKeys, retireSigningKey, rotateSigningKey } from './commands/rotate-keys.ts'
import { developmentKeyEncryptionKey } from './dev-key.ts'
import { importKeyEncryptionKey } from './key-sealing.ts'
import { migrationsFolder } from './service.ts'

/**
 * `npm run keys:list | keys:rotate | keys:retire <kid>`: auth's signing keys, in auth's database
 * (DATABASE_URL), or in the embedded start's PGlite (TWTIX_DATA_DIR, default .data/pglite, with
 * its development key encryption key) while `npm start` is stopped. Running services pick the
 * change up within AUTH_KEYS_REFRESH_SECONDS.
 */
const usage = 'usage: keys list | keys rotate | keys retire <kid>'
const [command, kid] = process.argv.slice(2)
if (!command || !['list', 'rotate', 'retire'].includes(command) || (command === 'retire' && !kid)) {
  console.error(usage)
  process.exit(2)
}

const url = process.env.DATABASE_URL || undefined
const dataDir = url ? undefined : (process.env.TWTIX_DATA_DIR ?? '.data/pglite')
const database = await createDatabase({ url, dataDir })
try {
  await migrateService(database.db, 'auth', migrationsFolder)
  const now = new Date()
  if (command === 'rotate') {
    const key =
      process.env.AUTH_KEY_ENCRYPTION_KEY ??
      (dataDir
        ? developmentKeyEncryptionKey(join(dirname(dataDir), 'auth-key-encryption-key')).key
        : undefined)
    if (!key) throw new Error('AUTH_KEY_ENCRYPTION_KEY is required to seal the new key')
    const newKid = await rotateSigningKey(database.db, await importKeyEncryptionKey(key), now)
    console.log(`${newKid} signs from now on; the others stay published until retired`)
  } else if (command === 'retire' && kid) {
    await retireSigningKey(database.db, kid, now)
    console.log(`${kid} retired: verifiers stop trusting it within AUTH_KEYS_REFRESH_SECONDS`)
  }
  for (const k of await listSigningKeys(database.db)) {
    const retired = k.retiredAt ? `  retired ${k.retiredAt.toISOString()}` : ''
    console.log(`${k.kid}  ${k.state.padEnd(9)}  created ${k.createdAt.toISOString()}${retired}`)
  }
} catch (err) {
  console.error(`keys: ${err instanceof HttpError ? err.message : (err as Error).message}`)
  process.exitCode = 1
} finally {
  await database.close()
}
