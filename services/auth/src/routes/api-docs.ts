import { readFile } from 'node:fs/promises'
import { apiDocsRoutes, type OpenApiDocument } from '@twtix/common/openapi'

const committed = new URL('../../../../docs/generated/openapi.json', import.meta.url)

/**
 * The whole API's document (`/openapi.json`) and its interactive documentation (`/docs`), for
 * the ingress to route `/api/openapi.json` and `/api/docs` here. No service sees the others'
 * routes, so auth serves the merged document `npm run docs:build` commits; CI fails when that
 * file is behind the code.
 */
export function committedApiDocsRoutes(file: URL = committed) {
  let document: Promise<OpenApiDocument> | undefined
  return apiDocsRoutes({
    document: () => {
      document ??= readFile(file, 'utf8').then(
        (text) => JSON.parse(text) as OpenApiDocument,
        (err) => {
          document = undefined
          throw err
        },
      )
      return document
    },
  })
}
