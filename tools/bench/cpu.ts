/**
 * CPU time per process during a scenario, read from /proc (Linux): every process of the target
 * (the services, nginx), the PostgreSQL backends of its databases, and the Kafka broker. Divided
 * by the operations done, it says where each operation's CPU goes, which is what bounds the rate
 * on a machine with two cores.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import type postgres from 'postgres'
import { root } from './children.ts'

const TICKS_PER_SECOND = 100

type Stat = { ppid: number; ticks: number }

function stat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The command name is in parentheses and may hold spaces: the fields follow the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) }
  } catch {
    return undefined
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return ''
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
}

function descendants(rootPid: number): number[] {
  const children = new Map<number, number[]>()
  for (const pid of allPids()) {
    const s = stat(pid)
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid])
  }
  const out: number[] = []
  const queue = [rootPid]
  while (queue.length) {
    const pid = queue.shift() as number
    out.push(pid)
    queue.push(...(children.get(pid) ?? []))
  }
  return out
}

function labelOf(pid: number, rootPid: number): string {
  const cmd = cmdline(pid)
  const service = cmd.match(/services\/([\w-]+)\/src\/main\.ts/)?.[1]
  if (service) return service
  if (cmd.includes('embedded/main.ts')) return 'embedded (every service)'
  if (cmd.startsWith('nginx')) return 'nginx'
  if (cmd.includes('esbuild')) return 'tsx (esbuild)'
  if (pid === rootPid) return 'stack runner'
  return cmd.split(' ')[0] ?? String(pid)
}

export type CpuSource = {
  /** Root of the target's process tree (the stack runner or the embedded process). */
  rootPid?: number
  /** The target's databases, to find their backends. */
  db?: postgres.Sql
  dbPrefix?: string
}

export type CpuSample = Map<string, { label: string; ticks: number }>

async function sample(src: CpuSource): Promise<CpuSample> {
  const out: CpuSample = new Map()
  const rootPid = src.rootPid
  for (const pid of rootPid ? descendants(rootPid) : []) {
    const s = stat(pid)
    if (s) out.set(`p${pid}`, { label: labelOf(pid, rootPid as number), ticks: s.ticks })
  }
  if (src.db && src.dbPrefix) {
    const rows =
      await src.db`select pid, datname from pg_stat_activity where datname like ${`${src.dbPrefix}%`}`
    for (const r of rows) {
      const s = stat(r.pid as number)
      if (s) out.set(`p${r.pid}`, { label: 'postgres', ticks: s.ticks })
    }
  }
  const brokerPidFile = resolve(process.env.KAFKA_HOME_DIR ?? resolve(root, '.kafka'), 'broker.pid')
  if (src.rootPid && src.db && existsSync(brokerPidFile)) {
    const pid = Number(readFileSync(brokerPidFile, 'utf8').trim())
    const s = stat(pid)
    if (s && cmdline(pid).includes('kafka.Kafka')) {
      out.set(`p${pid}`, { label: 'kafka broker (shared)', ticks: s.ticks })
    }
  }
  return out
}

/**
 * Starts measuring; the function it returns gives CPU ms per label since the start. With
 * `baselineMs`, it first watches the idle target that long and takes that idle rate (relays
 * polling, consumers fetching, timers, other users of a shared broker) off the result.
 */
export async function measureCpu(src: CpuSource | undefined, o: { baselineMs?: number } = {}) {
  if (!src || process.platform !== 'linux') return async () => ({}) as Record<string, number>
  const idle = new Map<string, number>()
  if (o.baselineMs) {
    const a = await sample(src)
    await new Promise((r) => setTimeout(r, o.baselineMs))
    const b = await sample(src)
    for (const [key, s] of b) {
      const delta = s.ticks - (a.get(key)?.ticks ?? s.ticks)
      idle.set(
        s.label,
        (idle.get(s.label) ?? 0) + (delta * 1000) / TICKS_PER_SECOND / (o.baselineMs as number),
      )
    }
  }
  const before = await sample(src)
  const started = performance.now()
  return async () => {
    const after = await sample(src)
    const elapsed = performance.now() - started
    const ms: Record<string, number> = {}
    for (const [key, a] of after) {
      // A process that started meanwhile (a new pool connection) counts whole.
      const delta = a.ticks - (before.get(key)?.ticks ?? 0)
      if (delta > 0) ms[a.label] = (ms[a.label] ?? 0) + (delta * 1000) / TICKS_PER_SECOND
    }
    for (const [label, rate] of idle) {
      if (ms[label] !== undefined) ms[label] = Math.max(0, ms[label] - rate * elapsed)
    }
    return ms
  }
}

/** CPU ms of one process since it started (e.g. a forked child), from /proc. */
export function processCpuMs(pid: number | undefined): number {
  const s = pid ? stat(pid) : undefined
  return s ? (s.ticks * 1000) / TICKS_PER_SECOND : 0
}

/** CPU ms per operation by label, the largest first, e.g. "postgres 1.9, orders 1.2, …". */
export function perOperation(ms: Record<string, number>, operations: number) {
  const entries = Object.entries(ms)
    .map(([label, total]) => [label, total / operations] as const)
    .filter(([, v]) => v >= 0.005)
    .sort((a, b) => b[1] - a[1])
  const total = entries.reduce((s, [, v]) => s + v, 0)
  return {
    total,
    byProcess: Object.fromEntries(entries.map(([k, v]) => [k, Math.round(v * 1000) / 1000])),
    text: `${total.toFixed(2)} ms CPU each: ${entries.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
  }
}
