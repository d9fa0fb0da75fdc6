export type FetchHandler = (request: Request, env?: unknown) => Response | Promise<Response>

export type RunningServer = { port: number; close(): Promise<void> }

type DenoServe = {
  serve(
    options: { port: number; hostname: string; onListen?: (addr: { port: number }) => void },
    handler: (request: Request, info: unknown) => Response | Promise<Response>,
  ): { finished: Promise<void>; shutdown(): Promise<void>; addr: { port: number } }
}

/** Serves a fetch handler with the runtime's own server: Deno.serve on Deno, node-server on Node. */
export async function serveHttp(
  fetch: FetchHandler,
  options: { port: number; hostname?: string },
): Promise<RunningServer> {
  const hostname = options.hostname ?? '0.0.0.0'
  const deno = (globalThis as { Deno?: DenoServe }).Deno
  if (deno) {
    const server = deno.serve({ port: options.port, hostname, onListen: () => {} }, (req, info) =>
      fetch(req, info),
    )
    return { port: server.addr.port, close: () => server.shutdown() }
  }
  const { serve } = await import('@hono/node-server')
  return new Promise((resolve) => {
    const server = serve({ fetch, port: options.port, hostname }, (info) => {
      resolve({
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done())
            ;(server as { closeIdleConnections?: () => void }).closeIdleConnections?.()
          }),
      })
    })
  })
}
