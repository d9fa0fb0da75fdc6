// `npm run docs:build` writes the OpenAPI document and the Postman collection;
// `npm run docs:check` (`--check`) fails when the committed ones differ from what the code says.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import process from 'node:process'
import { generateDocs } from './generate.ts'

const root = resolve(import.meta.dirname, '../..')
const check = process.argv.includes('--check')

const read = (file: string) => {
  try {
    return readFileSync(resolve(root, file), 'utf8')
  } catch {
    return undefined
  }
}

const files = await generateDocs()
const stale = Object.keys(files).filter((file) => read(file) !== files[file])
if (check) {
  if (stale.length > 0) {
    console.error(`docs: out of date: ${stale.join(', ')}`)
    console.error('docs: run `npm run docs:build` and commit the result')
    process.exit(1)
  }
  console.log(`docs: up to date (${Object.keys(files).join(', ')})`)
} else {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(dirname(resolve(root, file)), { recursive: true })
    writeFileSync(resolve(root, file), content)
  }
  console.log(`docs: wrote ${Object.keys(files).join(', ')}${stale.length ? '' : ' (unchanged)'}`)
}
