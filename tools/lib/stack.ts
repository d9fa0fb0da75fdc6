import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { services } from '../../embedded/services.ts'
import { replicaPort } from '../topology.ts'
import { answers, commandLine, delay, isAlive, readPid, waitFor } from './processes.ts'

export type StackOptions = {
  root: string
  /** The stack's STACK_DIR: pid files, logs, nginx config. */
  dir: string
  pgUrl: string
  brokers: string[]
  ingressPort: number
  portOffset: number
  replicas: number
  /** Extra environment for every service (hold time, rate limits). */
  env: Record<string, string>
}

export type Stack = {
  ingress: string
  /** The stack runner: its process group holds every service and nginx. */
  pid: number
  /** Each process's pid by label, as its pid file says now. */
  pids(): Record<string, number>
  /** Every process label the stack runs: `<service>-<n>` and `nginx-0`. */
  labels: string[]
  /** SIGKILLs these processes at once; returns their pids. */
  kill(labels: string[]): number[]
  /** Waits until each process runs again under a new pid and answers /ready; ms it took. */
  waitBack(labels: string[], oldPids: number[], timeoutMs: number): Promise<number>
  stop(): Promise<void>
}

const RUNNER_PID = 'runner.pid'

/** Signals the process group the runner leads (it was started detached); gone is fine. */
function signalGroup(leader: number, signal: NodeJS.Signals) {
  try {
    process.kill(-leader, signal)
  } catch {
    // No such group: every process of it has exited.
  }
}

/**
 * Stops what an earlier run that was itself killed left behind: the stack runner (its process
 * group holds every service and nginx) and any service it no longer watches. Only processes
 * whose pid files are in `dir` and whose command lines are the stack's are touched.
 */
export async function reapStack(dir: string) {
  const runner = readPid(resolve(dir, RUNNER_PID))
  if (runner && ours(runner, dir)) {
    signalGroup(runner, 'SIGTERM')
    if (!(await waitFor(() => !isAlive(runner), 15_000))) signalGroup(runner, 'SIGKILL')
  }
  if (!existsSync(dir)) return
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.pid'))) {
    const pid = readPid(resolve(dir, file))
    if (pid && ours(pid, dir)) {
      // nginx leads a process group of its own: its worker goes with it.
      signalGroup(pid, 'SIGKILL')
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Gone with its group.
      }
    }
    rmSync(resolve(dir, file), { force: true })
  }
}

/**
 * Whether a pid (read from a pid file that may be stale) is still a process of the stack in `dir`:
 * nginx names the directory on its command line; the runner and the services inherit STACK_DIR.
 */
function ours(pid: number, dir: string): boolean {
  if (commandLine(pid)?.includes(dir)) return true
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`STACK_DIR=${dir}`)
  } catch {
    return false
  }
}

/**
 * Starts `tools/stack/main.ts` (what `npm run stack` runs) as its own process group, with the
 * tool's PostgreSQL, Kafka, ports and STACK_FRESH, and waits until every replica is ready: the
 * one stack starter of the fault suite and the benchmark.
 */
export async function startStack(o: StackOptions): Promise<Stack> {
  await reapStack(o.dir)
  mkdirSync(o.dir, { recursive: true })
  const log = resolve(o.dir, 'runner.log')
  const runner = spawn(process.execPath, ['--import', 'tsx', 'tools/stack/main.ts'], {
    cwd: o.root,
    detached: true,
    stdio: ['ignore', openSync(log, 'w'), openSync(log, 'a')],
    env: {
      ...process.env,
      // The tools' load comes from one address, 127.0.0.1: the ingress's per-address rates
      // would measure nginx, not twtix.
      INGRESS_AUTH_RATE: '100000r/s',
      INGRESS_WRITE_RATE: '100000r/s',
      ...o.env,
      STACK_DIR: o.dir,
      STACK_FRESH: 'true',
      STACK_REPLICAS: String(o.replicas),
      STACK_PORT_OFFSET: String(o.portOffset),
      INGRESS_PORT: String(o.ingressPort),
      PG_URL: o.pgUrl,
      KAFKA_BROKERS: o.brokers.join(','),
      DATABASE_URL: '',
    },
  })
  const runnerPid = runner.pid as number
  writeFileSync(resolve(o.dir, RUNNER_PID), `${runnerPid}\n`)
  let exited = false
  runner.on('exit', () => {
    exited = true
  })

  const replicas = services.flatMap((s) =>
    Array.from({ length: o.replicas }, (_, n) => ({
      label: `${s.name}-${n}`,
      ready: `http://127.0.0.1:${replicaPort(s.port, n) + o.portOffset}/ready`,
    })),
  )
  const readyOf = new Map(replicas.map((r) => [r.label, r.ready]))
  const ingress = `http://127.0.0.1:${o.ingressPort}`
  readyOf.set('nginx-0', `${ingress}/health`)
  // A runner that exited (nginx missing, a port taken) ends the wait at once.
  const ready = await waitFor(
    async () => exited || (await Promise.all([...readyOf.values()].map(answers))).every(Boolean),
    240_000,
    500,
  )
  if (exited) {
    signalGroup(runnerPid, 'SIGKILL')
    throw new Error(`the stack runner exited before it was ready; see ${log} and ${o.dir}/logs`)
  }
  if (!ready) {
    await stop()
    throw new Error(`the stack did not get ready (exited: ${exited}); see ${o.dir}/logs and ${log}`)
  }
  const pidFile = (label: string) => resolve(o.dir, `${label}.pid`)

  async function stop() {
    if (!isAlive(runnerPid)) return
    process.kill(runnerPid, 'SIGTERM')
    await waitFor(() => !isAlive(runnerPid), 20_000)
    // Whatever is left of its group (a service it restarted just before it stopped): killed.
    await delay(200)
    signalGroup(runnerPid, 'SIGKILL')
  }

  return {
    ingress,
    pid: runnerPid,
    pids: () =>
      Object.fromEntries(
        [...readyOf.keys()].flatMap((label) => {
          const pid = readPid(pidFile(label))
          return pid ? [[label, pid]] : []
        }),
      ),
    labels: [...readyOf.keys()],
    kill(labels) {
      return labels.map((label) => {
        const pid = readPid(pidFile(label))
        if (!pid) throw new Error(`no pid file for ${label}`)
        process.kill(pid, 'SIGKILL')
        return pid
      })
    },
    async waitBack(labels, oldPids, timeoutMs) {
      const started = Date.now()
      const back = await waitFor(
        async () => {
          const states = await Promise.all(
            labels.map(async (label, i) => {
              const pid = readPid(pidFile(label))
              return (
                pid !== undefined &&
                pid !== oldPids[i] &&
                isAlive(pid) &&
                answers(readyOf.get(label) as string)
              )
            }),
          )
          return states.every(Boolean)
        },
        timeoutMs,
        200,
      )
      if (!back) throw new Error(`${labels.join(', ')} not back within ${timeoutMs} ms`)
      const took = Date.now() - started
      // Back means back for good: a restarted nginx that cannot bind its port exits at once while
      // the orphaned worker of the killed one still answers /health.
      const pids = labels.map((label) => readPid(pidFile(label)))
      await delay(2000)
      const again = labels.map((label) => readPid(pidFile(label)))
      if (again.some((pid, i) => pid !== pids[i] || !pid || !isAlive(pid))) {
        throw new Error(`${labels.join(', ')} keeps restarting (pids ${pids} then ${again})`)
      }
      return took
    },
    stop,
  }
}
