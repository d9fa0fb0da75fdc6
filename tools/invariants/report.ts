import type { CheckResult } from './check-invariants.ts'
import { type Rule, rules, type Violation } from './rules.ts'

const idsText = (ids: Violation['ids']) =>
  Object.entries(ids)
    .map(([k, v]) => {
      if (!Array.isArray(v)) return `${k}=${v}`
      const shown = v.slice(0, 3).join(',')
      return `${k}=${shown}${v.length > 3 ? `,…(+${v.length - 3})` : ''}`
    })
    .join(' ')

/**
 * One row per invariant (ok or how often it broke, with the first case), then the dead-letter
 * counts, then every violation with its ids (up to `maxPerRule` per invariant).
 */
export function formatCheck(result: CheckResult, options: { maxPerRule?: number } = {}): string {
  const max = options.maxPerRule ?? 20
  const byRule = new Map<Rule, Violation[]>()
  for (const v of result.violations) byRule.set(v.rule, [...(byRule.get(v.rule) ?? []), v])
  const checked = Object.entries(result.counts)
    .map(([what, n]) => `${n} ${what}`)
    .join(', ')
  const lines = [
    `twtix invariants (${checked})`,
    '',
    '| invariant | result | first case |',
    '|---|---|---|',
  ]
  for (const rule of Object.keys(rules) as Rule[]) {
    if (rule === 'dead-letters' && !result.deadLetters) {
      lines.push(`| ${rule} | not checked (no KAFKA_BROKERS) | |`)
      continue
    }
    const found = byRule.get(rule) ?? []
    const first = found[0]
    lines.push(
      `| ${rule} | ${found.length === 0 ? 'ok' : `**${found.length} violation(s)**`} | ${
        first ? `${first.message} (${idsText(first.ids)})` : ''
      } |`,
    )
  }
  if (result.deadLetters) {
    const topics = Object.entries(result.deadLetters)
    lines.push(
      '',
      `dead letters: ${topics.length === 0 ? 'no dead-letter topics' : topics.map(([t, n]) => `${t} ${n}`).join(', ')}`,
    )
  }
  if (result.violations.length > 0) {
    lines.push('', 'violations:')
    for (const [rule, found] of byRule) {
      for (const v of found.slice(0, max)) lines.push(`  ${rule}: ${v.message} — ${idsText(v.ids)}`)
      if (found.length > max) lines.push(`  ${rule}: … ${found.length - max} more`)
    }
  }
  lines.push(
    '',
    result.violations.length === 0
      ? 'every invariant holds'
      : `${result.violations.length} violation(s) of ${byRule.size} invariant(s)`,
  )
  return lines.join('\n')
}
