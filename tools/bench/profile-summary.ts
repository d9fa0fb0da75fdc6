/**
 * Summarises a V8 CPU profile (.cpuprofile from `npm run bench -- --cpu-prof`): self time by
 * function and by package or source folder, the largest first.
 *
 *   node --import tsx tools/bench/profile-summary.ts FILE.cpuprofile [top] [bench.json scenario]
 *
 * With a bench.json and a scenario key (list, orders, …), only the samples taken while that
 * scenario ran count (CPU profiles and the bench share the monotonic clock).
 */
import { readFileSync } from 'node:fs'
import process from 'node:process'

type Node = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  children?: number[]
}
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[]; startTime: number }

function where(url: string): string {
  if (!url) return '(native)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length)
  if (url.startsWith('node:')) return url
  const m = url.match(/\/((?:common|services|embedded|tests|tools)\/.*)$/)
  return m?.[1] ?? url
}

/** The package (node_modules), node's own modules, or the source folder of a file. */
function groupOf(url: string, fn: string): string {
  if (!url) return fn
  const file = where(url)
  if (url.includes('node_modules/')) {
    const parts = file.split('/')
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? file)
  }
  if (file.startsWith('node:')) return 'node (built-in modules)'
  return file.replace(/\/[^/]+$/, '')
}

export function summarise(file: string, top = 25, window?: { from: number; to: number }): string {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile
  const byId = new Map(p.nodes.map((n) => [n.id, n]))
  const self = new Map<number, number>()
  let at = p.startTime
  const inWindow = p.samples.map((_, i) => {
    at += p.timeDeltas[i] ?? 0
    return !window || (at >= window.from && at <= window.to)
  })
  for (const [i, id] of p.samples.entries())
    if (inWindow[i]) self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0))
  const total = [...self.values()].reduce((a, b) => a + b, 0)
  const idle = [...self.entries()]
    .filter(([id]) => ['(idle)', '(program)'].includes(byId.get(id)?.callFrame.functionName ?? ''))
    .reduce((a, [, t]) => a + t, 0)
  const fn = new Map<string, number>()
  const pkg = new Map<string, number>()
  const keyOf = (n: Node) =>
    `${n.callFrame.functionName || '(anonymous)'} ${where(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`
  for (const [id, t] of self) {
    const n = byId.get(id)
    if (!n) continue
    const f = n.callFrame
    if (['(idle)', '(program)'].includes(f.functionName)) continue
    fn.set(keyOf(n), (fn.get(keyOf(n)) ?? 0) + t)
    const group = groupOf(f.url, f.functionName)
    pkg.set(group, (pkg.get(group) ?? 0) + t)
  }
  // Inclusive time: a sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>()
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id)
  const inclusive = new Map<string, number>()
  for (const [id, t] of self) {
    const leaf = byId.get(id)
    if (!leaf || ['(idle)', '(program)'].includes(leaf.callFrame.functionName)) continue
    const seen = new Set<string>()
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur)
      if (!n || n.callFrame.functionName === '(root)') continue
      const k = keyOf(n)
      if (seen.has(k)) continue
      seen.add(k)
      inclusive.set(k, (inclusive.get(k) ?? 0) + t)
    }
  }
  const busy = total - idle
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)}%`
  const list = (m: Map<string, number>) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, t]) => `${pct(t)}  ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}`)
  return [
    `${file}: ${(total / 1e6).toFixed(1)} s profiled, ${(busy / 1e6).toFixed(1)} s busy`,
    '-- self time by package / folder (share of busy time)',
    ...list(pkg),
    '-- self time by function',
    ...list(fn),
    '-- total time (self and callees) by function',
    ...list(inclusive),
  ].join('\n')
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, top, bench, scenario] = process.argv.slice(2)
  if (!file) {
    console.error('usage: profile-summary.ts FILE.cpuprofile [top] [bench.json scenario]')
    process.exit(2)
  }
  const window = bench
    ? (
        JSON.parse(readFileSync(bench, 'utf8')) as {
          rows: { key: string; window?: { from: number; to: number } }[]
        }
      ).rows.find((r) => r.key === scenario)?.window
    : undefined
  if (bench && !window) {
    console.error(`no window for scenario ${scenario} in ${bench}`)
    process.exit(2)
  }
  console.log(summarise(file, Number(top ?? 25), window))
}
