/**
 * The load generator: autocannon in a process of its own (never on the services' event loop).
 * Forked by load-runner.ts; receives one LoadSpec over IPC, answers with every raw latency.
 */
import process from 'node:process'
import autocannon from 'autocannon'
import type { LoadItem, LoadResult, LoadSpec } from './load-spec.ts'

function run(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = []
  const statuses: number[] = []
  const bodies: string[] = []
  let errors = 0
  const items = spec.items ?? []
  let next = 0
  const take = (): LoadItem | undefined => (items.length ? items[next++ % items.length] : undefined)
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const cpu = process.cpuUsage()
    let last = started
    const instance = autocannon(
      {
        url: spec.url,
        connections: spec.connections,
        duration: spec.durationSeconds ?? 10,
        amount: spec.amount,
        timeout: spec.timeoutSeconds ?? 30,
        // Latency of every answer, whatever its status: a 400 in the flash sale is a result.
        excludeErrorStats: false,
        requests: [
          {
            method: spec.method,
            path: spec.path,
            headers: spec.headers,
            body: spec.body,
            onResponse: (status: number, body: string) => {
              if (status === spec.captureStatus) bodies.push(body)
            },
            setupRequest: (req) => {
              const item = take()
              if (!item) return req
              return {
                ...req,
                path: item.path ?? req.path,
                headers: { ...req.headers, ...item.headers },
                body: item.body ?? req.body,
              }
            },
          },
        ],
      },
      (err) => {
        if (err) return reject(err)
        clearTimeout(stopper)
        const used = process.cpuUsage(cpu)
        const cpuMs = (used.user + used.system) / 1000
        resolve({ latencies, statuses, errors, elapsedMs: last - started, bodies, cpuMs })
      },
    )
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime)
      statuses.push(status)
      last = performance.now()
    })
    instance.on('reqError', () => {
      errors++
    })
    const stopper = spec.maxSeconds
      ? setTimeout(() => instance.stop(), spec.maxSeconds * 1000)
      : undefined
  })
}

process.once('message', (spec: LoadSpec) => {
  run(spec).then(
    (result) => process.send?.({ result }, () => process.exit(0)),
    (err: Error) => process.send?.({ error: err.message }, () => process.exit(1)),
  )
})
