import { type Machine, machineLine } from './machine.ts'
import type { Row } from './scenarios.ts'

export type Report = {
  startedAt: string
  seconds: number
  mode: string
  target: string
  command: string
  machine: Machine
  /** The target's processes by label, as their CPU profiles are named (by pid). */
  processes: Record<string, number>
  rows: Row[]
}

const cell = (s: string) => s.replaceAll('|', '\\|')

export function markdown(r: Report): string {
  const met = (row: Row) =>
    row.error ? 'could not run' : row.met === null ? '–' : row.met ? 'met' : 'not met'
  const lines = [
    '| scenario | measured | limit measured beside it | ratio | goal | |',
    '|---|---|---|---|---|---|',
    ...r.rows.map((row) =>
      [
        '',
        row.scenario,
        row.error ? `error: ${row.error}` : row.measured,
        row.limit,
        row.ratio,
        row.goal,
        met(row),
        '',
      ]
        .map((c) => cell(c))
        .join(' | ')
        .trim(),
    ),
    '',
    ...r.rows.flatMap((row) => (row.notes ?? []).map((n) => `- ${n}`)),
    '',
    `Machine: ${machineLine(r.machine)}.`,
    `Run: \`${r.command}\` (${r.mode} mode, against ${r.target}), ${r.startedAt}, ${Math.round(r.seconds)} s.`,
  ]
  return lines.join('\n')
}
