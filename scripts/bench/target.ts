/**
 * What the bench runs against: `npm run stack` (every service its own process, PostgreSQL, Kafka,
 * nginx) started here with its own directory, ports, databases and topics, or the embedded start
 * (`--embedded`) in a process of its own. Either is stopped at the end, also on error or Ctrl-C.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdirSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
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
  if (running?.pid && alive(running)) {
    try {
      process.kill(-running.pid, 'SIGKILL')
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
    // The bench signs in from one address far more often than a person would.
    RATE_LIMIT_ADDRESS_PER_MINUTE: '1000000',
    TOPIC_PREFIX: o.topicPrefix,
    DATABASE_URL: '',
  }
  if (o.embedded) {
    const log = resolve(o.dir, 'embedded.log')
    const data = resolve(o.dir, 'embedded-data')
    rmSync(data, { recursive: true, force: true })
    const child = spawn(
      process.execPath,
      [
        ...o.nodeOptions.split(/\s+/).filter(Boolean),
        '--import',
        'tsx',
        'scripts/embedded/main.ts',
      ],
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

  const stackDir = resolve(o.dir, 'stack')
  mkdirSync(stackDir, { recursive: true })
  const log = resolve(o.dir, 'stack.log')
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/stack/main.ts'], {
    cwd: root,
    detached: true,
    stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')],
    env: {
      ...process.env,
      ...common,
      STACK_DIR: stackDir,
      STACK_FRESH: 'true',
      STACK_REPLICAS: '1',
      STACK_PORT_OFFSET: String(PORT_OFFSET),
      STACK_DB_PREFIX: o.dbPrefix,
      STACK_NODE_OPTIONS: o.nodeOptions,
      INGRESS_PORT: String(INGRESS_PORT),
      PG_URL: o.pgUrl,
      KAFKA_BROKERS: o.brokers,
    },
  })
  running = child
  try {
    await waitForLine(child, log, /twtix stack on/, 240_000)
  } catch (err) {
    await stopGroup(child)
    throw new Error(`the stack did not come up: ${(err as Error).message}`)
  }
  return {
    kind: 'stack',
    api: `http://127.0.0.1:${INGRESS_PORT}`,
    ticketsDirect: `http://127.0.0.1:${replicaPort(3002, 0) + PORT_OFFSET}`,
    logs: resolve(stackDir, 'logs'),
    pid: child.pid as number,
    processes: Object.fromEntries(
      readdirSync(stackDir)
        .filter((f) => f.endsWith('.pid'))
        .map((f) => [f.replace(/\.pid$/, ''), Number(readFileSync(resolve(stackDir, f), 'utf8'))]),
    ),
    stop: () => stopGroup(child),
  }
}
