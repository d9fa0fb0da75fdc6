import { API_VERSION, mergeDocuments, type OpenApiDocument } from '@twtix/common/openapi'

/** A service as the ingress routes to it: its public prefix and something that answers HTTP. */
export type MountedService = {
  prefix: string
  fetch: (request: Request) => Response | Promise<Response>
}

const description = `The twtix marketplace API: sell tickets, hold one with an order, pay for it.

**Signing in.** \`POST /api/users/signup\` and \`POST /api/users/signin\` return a \`token\` and set
the \`session\` cookie (HttpOnly, SameSite=Lax). Every route takes either: send
\`Authorization: Bearer <token>\`, or let a cookie jar send the cookie back.

**Errors.** Every error has one shape, \`{"errors": [{"message": "...", "field": "price"}]}\`, with
\`field\` only on validation errors. 400 bad input or a broken rule, 401 not signed in, 403 not
yours, 404 unknown id or route, 402 card declined, 409 still in progress, 422 an
\`Idempotency-Key\` reused with another body, 429 too many attempts (wait \`Retry-After\` seconds),
500 a fault on our side.

**Pages.** \`GET /api/tickets\` returns a page (\`?limit\`, 20 by default); when there is more,
the \`Link\` header holds the next page's URL (\`rel="next"\`).

**Retries.** \`POST /api/orders\` and \`POST /api/payments\` honour \`Idempotency-Key\`: the same
key with the same body gets the first response again instead of ordering or charging twice.

**Eventual consistency.** The services learn of each other's changes through events, within
moments: a ticket just listed may be unknown to orders (404) and an order just placed unknown to
payments (404) for a moment; retry.`

export const twtixInfo = {
  title: 'twtix API',
  version: API_VERSION,
  description,
}

/**
 * The whole API's document: each service's own `<prefix>/openapi.json`, merged. The same
 * function serves the embedded start's `/api/openapi.json` and writes `docs/openapi.json`.
 */
export async function twtixDocument(services: MountedService[]): Promise<OpenApiDocument> {
  const documents: OpenApiDocument[] = []
  for (const service of services) {
    const res = await service.fetch(
      new Request(`http://twtix.internal${service.prefix}/openapi.json`),
    )
    if (!res.ok) throw new Error(`${service.prefix}/openapi.json answered ${res.status}`)
    documents.push((await res.json()) as OpenApiDocument)
  }
  return mergeDocuments(twtixInfo, documents)
}
