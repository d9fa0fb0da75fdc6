import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8')

describe('README: the whole story with curl', () => {
  it('shows docs/story.sh as it is (CI runs the script against the Deno start)', () => {
    const readme = read('README.md')
    const shown = /<!-- docs\/story\.sh -->\n```sh\n([\s\S]*?)```\n/.exec(readme)?.[1]
    expect(shown).toBe(read('docs/story.sh'))
  })
})
