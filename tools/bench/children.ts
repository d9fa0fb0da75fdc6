import { type ChildProcess, fork } from 'node:child_process'
import { resolve } from 'node:path'

export const root = resolve(import.meta.dirname, '../..')

const children = new Set<ChildProcess>()

/** Forks a TypeScript module of this folder as its own node process (tsx), with IPC. */
export function forkTs(file: string, args: string[] = [], env?: NodeJS.ProcessEnv): ChildProcess {
  const child = fork(resolve(import.meta.dirname, file), args, {
    cwd: root,
    execArgv: ['--import', 'tsx'],
    env: env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  children.add(child)
  child.once('exit', () => children.delete(child))
  return child
}

/** Kills every child this process forked that is still running (on error or Ctrl-C). */
export function killChildren() {
  for (const child of children) child.kill('SIGKILL')
  children.clear()
}

/** Sends one request to a forked child and waits for its one answer. */
export function ask<T>(child: ChildProcess, message: unknown, what: string): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${what} exited (${code})`))
    child.once('exit', onExit)
    child.once('message', (answer: { result?: T; error?: string }) => {
      child.off('exit', onExit)
      if (answer.error !== undefined) reject(new Error(`${what}: ${answer.error}`))
      else resolvePromise(answer.result as T)
    })
    child.send(message as never)
  })
}
