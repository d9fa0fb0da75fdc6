import { describe, expect, it } from 'vitest'
import type { OpenApiDocument } from './document.ts'
import { mergeDocuments } from './merge.ts'

const info = { title: 'all', version: '1' }

function doc(path: string, schema: object, tag: string): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: tag, version: '1' },
    tags: [{ name: tag }],
    paths: { [path]: { get: { responses: { 200: { description: 'ok' } } } } },
    components: { schemas: { Error: { type: 'object' }, [tag]: schema } },
  }
}

describe('mergeDocuments', () => {
  it('puts the paths side by side and shared components once', () => {
    const merged = mergeDocuments(info, [
      doc('/api/b', { type: 'string' }, 'b'),
      doc('/api/a', { type: 'number' }, 'a'),
    ])
    expect(Object.keys(merged.paths ?? {})).toEqual(['/api/b', '/api/a'])
    expect(merged.tags).toEqual([{ name: 'b' }, { name: 'a' }])
    expect(merged.components?.schemas).toEqual({
      Error: { type: 'object' },
      a: { type: 'number' },
      b: { type: 'string' },
    })
  })

  it('refuses a path two services document', () => {
    expect(() => mergeDocuments(info, [doc('/api/a', {}, 'a'), doc('/api/a', {}, 'b')])).toThrow(
      '/api/a is documented by two services',
    )
  })

  it('refuses a component two services define differently', () => {
    const other = doc('/api/b', {}, 'b')
    other.components = { schemas: { Error: { type: 'string' } } }
    expect(() => mergeDocuments(info, [doc('/api/a', {}, 'a'), other])).toThrow(
      'components.schemas.Error differs between services',
    )
  })
})
