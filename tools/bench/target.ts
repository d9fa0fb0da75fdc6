/**
 * What the bench runs against: `npm run stack` (every service its own process, PostgreSQL, Kafka,
 * nginx) started here with its own directory, ports, databases and topics, or the embedded start
 * (`--embedded`) in a process of its own. Either is stopped at the end, also on error or Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, openSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { LIMITS_OFF } from '../lib/limits.ts'
import { startStack } from '../lib/stack.ts'
import { replicaPort } from '../topology.ts'
import { root } from './children.ts'

export type TargetOptions = {
  embedded: boolean
  /** .bench: logs, pid files, the embedded data. */
  dir: string
  pgUrl: string
  brokers: string
  topicPrefix: string
  dbPrefix: string
  holdSeconds: number
  /** Extra node flags for the service processes (profiling). */
  nodeOptions: string
}

export type Target = {
  kind: 'stack' | 'embedded'
  /** Where clients send the API: the ingress, or the embedded port. */
  api: string
  /** The tickets service itself, without the ingress. */
  ticketsDirect: string
  logs: string
  /** The root of its process tree (the stack runner, or the embedded process). */
  pid: number
  /** Each process by label (`orders-0`, `nginx-0`, or `embedded`), to find its CPU profile. */
  processes: Record<string, number>
  stop(): Promise<void>
}

/** The bench stack's databases are twtix_bench_<service>, beside anyone else's twtix_<service>. */
export const DB_PREFIX = 'twtix_bench_'
export const INGRESS_PORT = 8290
export const PORT_OFFSET = 2000
export const EMBEDDED_PORT = 8390

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

let running: ChildProcess | undefined
let runningStack: number | undefined

function alive(child: ChildProcess) {
  return child.exitCode === null && child.signalCode === null
}

/** Stops the process group the target runs in: SIGTERM first (drain), SIGKILL after 20 s. */
async function stopGroup(child: ChildProcess) {
  if (!child.pid || !alive(child)) return
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  try {
    process.kill(child.pid, 'SIGTERM')
  } catch {}
  await Promise.race([exited, delay(20_000)])
  await delay(200)
  try {
    // Whatever of the group is still there: a service being restarted as the runner stopped, or
    // everything when the runner did not stop within 20 s.
    process.kill(-child.pid, 'SIGKILL')
  } catch {}
}

/** Stops the target synchronously enough for an exit handler. */
export function killTargetNow() {
  const group = running?.pid && alive(running) ? running.pid : runningStack
  if (group) {
    try {
      process.kill(-group, 'SIGKILL')
    } catch {}
  }
}

async function waitForLine(child: ChildProcess, log: string, pattern: RegExp, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (!alive(child))
      throw new Error(`it exited (${child.exitCode ?? child.signalCode}); see ${log}`)
    let text = ''
    try {
      text = readFileSync(log, 'utf8')
    } catch {}
    if (pattern.test(text)) return
    if (Date.now() > deadline) throw new Error(`not ready after ${timeoutMs / 1000} s; see ${log}`)
    await delay(250)
  }
}

export async function startTarget(o: TargetOptions): Promise<Target> {
  mkdirSync(o.dir, { recursive: true })
  const common = {
    ORDER_HOLD_SECONDS: String(o.holdSeconds),
    // The bench signs in from one address, and buys, far more often than a person would.
    ...LIMITS_OFF,
    TOPIC_PREFIX: o.topicPrefix,
    DATABASE_URL: '',
  }
  if (o.embedded) {
    const log = resolve(o.dir, 'embedded.log')
    const data = resolve(o.dir, 'embedded-data')
    rmSync(data, { recursive: true, force: true })
    const child = spawn(
      process.execPath,
      [...o.nodeOptions.split(/\s+/).filter(Boolean), '--import', 'tsx', 'embedded/main.ts'],
      {
        cwd: root,
        detached: true,
        stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')],
        env: {
          ...process.env,
          ...common,
          KAFKA_BROKERS: '',
          PORT: String(EMBEDDED_PORT),
          HOST: '127.0.0.1',
          TWTIX_DATA_DIR: data,
          TWTIX_FRESH: 'true',
        },
      },
    )
    running = child
    try {
      await waitForLine(child, log, /twtix embedded marketplace on/, 180_000)
    } catch (err) {
      await stopGroup(child)
      throw new Error(`the embedded start did not come up: ${(err as Error).message}`)
    }
    const api = `http://127.0.0.1:${EMBEDDED_PORT}`
    return {
      kind: 'embedded',
      api,
      ticketsDirect: api,
      logs: log,
      pid: child.pid as number,
      processes: { embedded: child.pid as number },
      stop: () => stopGroup(child),
    }
  }

  const stack = await startStack({
    root,
    dir: resolve(o.dir, 'stack'),
    pgUrl: o.pgUrl,
    brokers: o.brokers.split(','),
    ingressPort: INGRESS_PORT,
    portOffset: PORT_OFFSET,
    replicas: 1,
    env: { ...common, STACK_DB_PREFIX: o.dbPrefix, STACK_NODE_OPTIONS: o.nodeOptions },
  })
  runningStack = stack.pid
  return {
    kind: 'stack',
    api: stack.ingress,
    ticketsDirect: `http://127.0.0.1:${replicaPort(3002, 0) + PORT_OFFSET}`,
    logs: resolve(o.dir, 'stack', 'logs'),
    pid: stack.pid,
    processes: stack.pids(),
    stop: stack.stop,
  }
}
