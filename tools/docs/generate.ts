import { createLogger } from '@twtix/common'
import { twtixDocument } from '../../embedded/api-document.ts'
import { createEmbedded } from '../../embedded/create-embedded.ts'
import { mountedServices } from '../../embedded/docs-routes.ts'
import { postmanCollection } from './postman.ts'

export const OPENAPI_FILE = 'docs/generated/openapi.json'
export const POSTMAN_FILE = 'docs/generated/twtix.postman_collection.json'

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`

/**
 * The generated documentation, file by file (paths from the repository root): the services run
 * in-process with an in-memory database, and their own documents are merged and converted.
 */
export async function generateDocs(): Promise<Record<string, string>> {
  const embedded = await createEmbedded({ env: {}, logger: createLogger({ level: 'error' }) })
  try {
    const document = await twtixDocument(mountedServices(embedded.services))
    return {
      [OPENAPI_FILE]: json(document),
      [POSTMAN_FILE]: json(await postmanCollection(document)),
    }
  } finally {
    await embedded.stop()
  }
}
