import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import process from 'node:process'
import { eventually } from '@twtix/common/testing'
import { afterAll, describe, expect, it } from 'vitest'
import { supervise } from './supervise.ts'

const dir = mkdtempSync(join(tmpdir(), 'twtix-supervise-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const pidIn = (file: string) => Number(readFileSync(file, 'utf8'))
/** Running, not gone nor a zombie waiting for whoever adopted it to reap it. */
const alive = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z'
  } catch {
    return false
  }
}

/** A process that forks a worker and waits, like nginx's master; each start writes its worker's pid. */
function forking(name: string) {
  let starts = 0
  return {
    starts: () => starts,
    worker: (n: number) => join(dir, `${name}-worker-${n}.pid`),
    start: () => {
      starts++
      const worker = join(dir, `${name}-worker-${starts}.pid`)
      return spawn('bash', ['-c', `sleep 300 & echo $! > ${worker}; wait`], {
        detached: true,
        stdio: 'ignore',
      })
    },
  }
}

describe('the stack supervisor', () => {
  it('kills the worker a killed master left behind before starting it again', async () => {
    const master = forking('nginx')
    const pidFile = join(dir, 'nginx.pid')
    const supervisor = supervise([{ label: 'nginx', pidFile, group: true, ...master }], () => {})
    await eventually(() => existsSync(master.worker(1)))
    const orphan = pidIn(master.worker(1))
    process.kill(pidIn(pidFile), 'SIGKILL')
    await eventually(() => existsSync(master.worker(2)), { timeoutMs: 5000 })
    // An orphaned nginx worker keeps the port: every restarted master would fail to bind it.
    expect(alive(orphan)).toBe(false)
    const second = pidIn(master.worker(2))
    await supervisor.stop()
    // SIGKILL is sent to the group as the master exits; under load the worker dies a moment later.
    await eventually(() => !alive(second), { timeoutMs: 5000 })
    expect(existsSync(pidFile)).toBe(false)
  })

  it('starts nothing once stopping, not even a restart that was due', async () => {
    const proc = forking('service')
    const pidFile = join(dir, 'service.pid')
    const lines: string[] = []
    const supervisor = supervise([{ label: 'service', pidFile, group: true, ...proc }], (line) =>
      lines.push(line),
    )
    await eventually(() => existsSync(proc.worker(1)))
    process.kill(pidIn(pidFile), 'SIGKILL')
    // Its restart is now due in 250 ms.
    await eventually(() => lines.some((l) => l.includes('restarting')))
    await supervisor.stop()
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(proc.starts()).toBe(1)
  })
})
