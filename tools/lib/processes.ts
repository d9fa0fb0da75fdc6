import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import process from 'node:process'

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

export type RunResult = { code: number | null; output: string }

/** Runs a command to its end and returns its exit code and its merged output. */
export function run(
  command: string,
  args: string[],
  options: { env?: Record<string, string | undefined>; cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    const timer = options.timeoutMs
      ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs)
      : undefined
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })
}

/** Like `run`, but a non-zero exit is an error carrying the end of the output. */
export async function runOk(
  command: string,
  args: string[],
  options: Parameters<typeof run>[2] = {},
): Promise<string> {
  const result = await run(command, args, options)
  if (result.code !== 0) {
    const tail = result.output.trim().split('\n').slice(-15).join('\n')
    throw new Error(`${command} ${args.join(' ')} exited with ${result.code}:\n${tail}`)
  }
  return result.output
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The command line of a running process, or undefined when it is gone. */
export function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
  } catch {
    return undefined
  }
}

/** A pid written in a file, when the file holds one. */
export function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/** Polls `check` until it returns true or the deadline passes; returns whether it did. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  intervalMs = 250,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (await Promise.resolve(check()).catch(() => false)) return true
    if (Date.now() > deadline) return false
    await delay(intervalMs)
  }
}

/** True when `url` answers 2xx within a second. */
export const answers = (url: string) =>
  fetch(url, { signal: AbortSignal.timeout(1000) }).then(
    async (r) => {
      await r.body?.cancel()
      return r.ok
    },
    () => false,
  )

/** Those of `ports` something already listens on at 127.0.0.1. */
export async function portsInUse(ports: number[]): Promise<number[]> {
  const { connect } = await import('node:net')
  const listening = (port: number) =>
    new Promise<boolean>((done) => {
      const socket = connect({ port, host: '127.0.0.1' })
      const end = (used: boolean) => {
        socket.destroy()
        done(used)
      }
      socket.setTimeout(1000, () => end(false))
      socket.once('connect', () => end(true))
      socket.once('error', () => end(false))
    })
  const used = await Promise.all(ports.map(listening))
  return ports.filter((_, i) => used[i])
}
