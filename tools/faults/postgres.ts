import { chownSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { resolve } from 'node:path'
import process from 'node:process'
import { runOk } from '../lib/processes.ts'

export type Postgres = {
  /** postgres://… of the cluster's `postgres` database. */
  url: string
  /** `fast` drops every connection and stops cleanly; `immediate` is a crash (recovery on start). */
  restart(mode: 'fast' | 'immediate'): Promise<void>
  stop(): Promise<void>
}

function binDir(): string {
  if (process.env.PG_BIN) return process.env.PG_BIN
  const base = '/usr/lib/postgresql'
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(`${base}/${v}/bin/initdb`))
        .sort((a, b) => Number(b) - Number(a))
    : []
  if (!versions[0]) throw new Error('no PostgreSQL under /usr/lib/postgresql (set PG_BIN)')
  return `${base}/${versions[0]}/bin`
}

/**
 * A PostgreSQL cluster of the fault suite's own, in `dir` (re-created on every start), on
 * 127.0.0.1:`port` with trust authentication, so the suite may restart or crash it freely.
 * initdb refuses to run as root: as root, every command runs as the `postgres` OS user.
 */
export async function startPostgres(options: { dir: string; port: number }): Promise<Postgres> {
  const asRoot = process.getuid?.() === 0
  const data = resolve(options.dir, 'data')
  const log = resolve(options.dir, 'postgres.log')

  await stopPostgres(options.dir)
  rmSync(options.dir, { recursive: true, force: true })
  mkdirSync(options.dir, { recursive: true })
  if (asRoot) {
    const uid = Number((await runOk('id', ['-u', 'postgres'])).trim())
    const gid = Number((await runOk('id', ['-g', 'postgres'])).trim())
    chownSync(options.dir, uid, gid)
  }
  await pg('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'])
  const settings = [
    `-p ${options.port}`,
    '-k /tmp',
    '-c listen_addresses=127.0.0.1',
    // 12 service processes with a pool of 10 each, the checker and the suite.
    '-c max_connections=300',
    '-c shared_buffers=128MB',
  ].join(' ')
  await pg('pg_ctl', ['-D', data, '-l', log, '-o', settings, '-w', '-t', '60', 'start'])
  return {
    url: `postgres://postgres@127.0.0.1:${options.port}/postgres`,
    async restart(mode) {
      await pg('pg_ctl', ['-D', data, '-l', log, '-m', mode, '-w', '-t', '60', 'restart'])
    },
    stop: () => stopPostgres(options.dir),
  }
}

/** Runs a PostgreSQL tool, as the `postgres` OS user when this process is root. */
function pg(tool: string, args: string[]) {
  const bin = `${binDir()}/${tool}`
  return process.getuid?.() === 0
    ? runOk('runuser', ['-u', 'postgres', '--', bin, ...args])
    : runOk(bin, args)
}

/** Stops the suite's cluster in `dir` if it runs (also one an interrupted run left behind). */
export async function stopPostgres(dir: string) {
  const data = resolve(dir, 'data')
  if (!existsSync(resolve(data, 'postmaster.pid'))) return
  await pg('pg_ctl', ['-D', data, '-m', 'fast', '-w', '-t', '30', 'stop']).catch(() => {})
}
