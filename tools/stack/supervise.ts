import type { ChildProcess } from 'node:child_process'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import process from 'node:process'

export type Supervised = {
  label: string
  pidFile: string
  start: () => ChildProcess
  /**
   * Started as a process group of its own (spawn's `detached`) because it forks, like nginx's
   * master and its worker. Once it has exited the rest of its group is killed: a worker orphaned
   * by a killed master would keep the port, and every restart would fail to bind it.
   */
  group?: boolean
}

const killGroup = (leader: number) => {
  try {
    process.kill(-leader, 'SIGKILL')
  } catch {
    // Nothing is left of the group.
  }
}

/**
 * Runs each process, writes its pid file, and starts it again when it exits, like Compose's
 * restart policy; `stop` ends them all (SIGTERM, then SIGKILL after 10 s) and starts nothing more.
 */
export function supervise(list: Supervised[], log: (line: string) => void = console.log) {
  let stopping = false
  const procs = list.map((p) => ({
    ...p,
    restarts: 0,
    child: undefined as ChildProcess | undefined,
  }))

  const launch = (p: (typeof procs)[number]) => {
    if (stopping) return
    const child = p.start()
    p.child = child
    if (child.pid) writeFileSync(p.pidFile, `${child.pid}\n`)
    child.on('error', (err) => log(`stack: ${p.label} could not start: ${err.message}`))
    child.on('exit', (code, signal) => {
      if (p.group && child.pid) killGroup(child.pid)
      if (stopping) return
      p.restarts++
      log(`stack: ${p.label} exited (${signal ?? code}); restarting (restart ${p.restarts})`)
      // Back off a little, then start it again.
      setTimeout(() => launch(p), Math.min(250 * p.restarts, 2000))
    })
  }
  for (const p of procs) launch(p)

  return {
    async stop() {
      stopping = true
      const exits = procs.map(
        (p) =>
          new Promise<void>((done) => {
            const child = p.child
            if (!child || child.exitCode !== null || child.signalCode !== null) return done()
            child.once('exit', () => done())
            child.kill('SIGTERM')
            setTimeout(() => child.kill('SIGKILL'), 10_000).unref()
          }),
      )
      await Promise.all(exits)
      for (const p of procs) if (existsSync(p.pidFile)) rmSync(p.pidFile)
    },
  }
}
