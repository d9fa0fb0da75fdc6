import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto'

// scrypt at one of OWASP's equivalent minimums for passwords: N=2^15, r=8, p=3 (32 MiB). N=2^17
// with p=1 is the same work in 128 MiB; measured here it was 2.4 times slower (memory bound), and
// four concurrent sign-ins would hold half a gigabyte. Weaker hashes are replaced at sign-in.
const params = { N: 2 ** 15, r: 8, p: 3, maxmem: 64 * 1024 * 1024 }
const KEY_LENGTH = 64

// At most this many hashes at once, the others wait here in turn. Each runs on one of libuv's 4
// threads, which DNS lookups share: under Compose the service reaches its database by name, and 50
// sign-ups at once held every thread, so new database connections timed out (CONNECT_TIMEOUT, a
// 503). Throughput is the cores' either way, and memory stays at 2 x 32 MiB.
const MAX_CONCURRENT_HASHES = 2
let hashing = 0
const waiting: (() => void)[] = []

async function oneOfFew<T>(run: () => Promise<T>): Promise<T> {
  if (hashing < MAX_CONCURRENT_HASHES) hashing++
  else await new Promise<void>((resolve) => waiting.push(resolve))
  try {
    return await run()
  } finally {
    // The slot passes to the next in line, or is freed.
    const next = waiting.shift()
    if (next) next()
    else hashing--
  }
}

function derive(password: string, salt: Buffer, p: { N: number; r: number; p: number }) {
  return oneOfFew(() => scryptKey(password, salt, p))
}

function scryptKey(password: string, salt: Buffer, p: { N: number; r: number; p: number }) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      { ...p, maxmem: params.maxmem },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  )
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64; the parameters travel with the hash. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params)
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$')
}

/** Whether a stored hash was made with other parameters than today's: rehash it. */
export function needsRehash(stored: string): boolean {
  const [scheme, n, r, p] = stored.split('$')
  return (
    scheme !== 'scrypt' ||
    Number(n) !== params.N ||
    Number(r) !== params.r ||
    Number(p) !== params.p
  )
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64')
  const key = await derive(password, Buffer.from(salt, 'base64'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return key.length === expected.length && timingSafeEqual(key, expected)
}

// Hashed once so that an unknown email costs as much as a wrong password.
let decoy: Promise<string> | undefined
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(crypto.randomUUID())
  return decoy
}
