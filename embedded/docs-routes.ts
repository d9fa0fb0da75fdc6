import type { Service } from '@twtix/common'
import { apiDocsRoutes, type OpenApiDocument } from '@twtix/common/openapi'
import { type MountedService, twtixDocument } from './api-document.ts'
import { services as entries } from './services.ts'

// The API's part of the ingress: the storefront at `/` is not in the API document.
const prefixOf = (service: Service) => {
  const prefix = entries.find((entry) => entry.name === service.name)?.prefix
  return prefix?.startsWith('/api/') ? prefix : undefined
}

/** The embedded start's services that serve part of the API (not the worker, not the shop). */
export function apiServices(services: Service[]): Service[] {
  return services.filter((service) => prefixOf(service) !== undefined)
}

/** The API services, each under its ingress prefix. */
export function mountedServices(services: Service[]): MountedService[] {
  return apiServices(services).map((service) => ({
    prefix: prefixOf(service) as string,
    fetch: (request: Request) => service.app.fetch(request),
  }))
}

/**
 * `/openapi.json` and `/docs` for the embedded start, to mount under `/api`: the document is
 * merged from the running services on the first request, so it is never behind the code.
 */
export function embeddedDocsRoutes(services: Service[]) {
  let document: Promise<OpenApiDocument> | undefined
  return apiDocsRoutes({
    document: () => {
      document ??= twtixDocument(mountedServices(services))
      return document
    },
  })
}
