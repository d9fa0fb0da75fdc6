import { existsSync, readdirSync, readFileSync } from 'node:fs'
import os from 'node:os'
import { resolve } from 'node:path'
import process from 'node:process'
import { root } from './children.ts'

export type Machine = {
  cpu: string
  cores: number
  memoryGiB: number
  os: string
  node: string
  database: string
  kafka: string
  loadAtStart: number[]
  loadAtEnd?: number[]
}

/** Apache Kafka's version from the broker's jars (.kafka/lib), else from the pom that fetches them. */
export function kafkaVersion(): string {
  const lib = resolve(process.env.KAFKA_HOME_DIR ?? resolve(root, '.kafka'), 'lib')
  if (existsSync(lib)) {
    const jar = readdirSync(lib).find((f) => /^kafka_[\d.]+-[\d.]+\.jar$/.test(f))
    const version = jar?.match(/^kafka_[\d.]+-([\d.]+)\.jar$/)?.[1]
    if (version) return `Apache Kafka ${version}`
  }
  const pom = resolve(root, 'tools/kafka/pom.xml')
  if (existsSync(pom)) {
    const text = readFileSync(pom, 'utf8')
    const version = text.match(/<kafka\.version>([^<]+)<\/kafka\.version>/)?.[1]
    if (version) return `Apache Kafka ${version} (from the pom)`
  }
  return 'Apache Kafka (version unknown)'
}

export function describeMachine(database: string, kafka: string): Machine {
  const cpus = os.cpus()
  return {
    cpu: cpus[0]?.model.replace(/\s+/g, ' ').trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    database,
    kafka,
    loadAtStart: os.loadavg().map((l) => Math.round(l * 100) / 100),
  }
}

export function machineLine(m: Machine): string {
  const load = (l?: number[]) => (l ? l.map((v) => v.toFixed(2)).join(' ') : '–')
  return [
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB`,
    m.os,
    `Node ${m.node}`,
    m.database,
    m.kafka,
    `load average ${load(m.loadAtStart)} at the start, ${load(m.loadAtEnd)} at the end`,
  ].join('; ')
}
