import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { Hono } from 'hono'
import type { OpenApiDocument } from './document.ts'

// Swagger UI's own files, served from the installed package: the page works without internet.
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
}

let assetDir: string | undefined
function assetPath(file: string) {
  assetDir ??= dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'))
  return join(assetDir, file)
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

/** The Swagger UI page for the document at `specUrl`, its files under `assetBase`. */
export function docsPage(options: { title: string; specUrl: string; assetBase: string }) {
  const { title, specUrl, assetBase } = options
  const config = JSON.stringify({
    url: specUrl,
    dom_id: '#docs',
    deepLinking: true,
    persistAuthorization: false,
    displayRequestDuration: true,
    tryItOutEnabled: false,
  })
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="icon" type="image/png" href="${assetBase}/favicon-32x32.png">
<link rel="stylesheet" href="${assetBase}/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="${assetBase}/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle(Object.assign(${config}, {
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
}))
</script>
</body>
</html>
`
}

/**
 * `/openapi.json` and the interactive documentation at `/docs`, for the origin's whole API.
 * Mount it under `/api`: the page finds the document and its files relative to where it is.
 */
export function apiDocsRoutes(options: {
  document: () => OpenApiDocument | Promise<OpenApiDocument>
  title?: string
}) {
  const routes = new Hono()
  routes.get('/openapi.json', async (c) => c.json(await options.document()))
  routes.get('/docs', (c) => {
    const base = c.req.path.replace(/\/docs$/, '')
    return c.html(
      docsPage({
        title: options.title ?? 'twtix API',
        specUrl: `${base}/openapi.json`,
        assetBase: `${base}/docs`,
      }),
    )
  })
  routes.get('/docs/:file', async (c) => {
    const file = c.req.param('file')
    const type = Object.hasOwn(assets, file) ? assets[file] : undefined
    if (!type) return c.notFound()
    const body = await readFile(assetPath(file))
    return c.body(body, 200, {
      'Content-Type': type,
      'Cache-Control': 'public, max-age=86400',
    })
  })
  return routes
}
