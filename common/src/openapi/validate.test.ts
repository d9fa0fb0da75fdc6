import { Hono } from 'hono'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { errorHandler } from '../http/error-handler.ts'
import { memoryLogger } from '../logger.ts'
import { routesDocument } from './document.ts'
import { validate } from './validate.ts'

const Body = v.object({
  title: v.pipe(v.string(), v.nonEmpty('Title is required')),
  price: v.pipe(v.number(), v.integer(), v.minValue(50)),
})
const Params = v.object({ id: v.pipe(v.string(), v.uuid('Id must be a UUID')) })
const Query = v.object({
  limit: v.optional(v.pipe(v.string(), v.regex(/^\d+$/), v.transform(Number))),
})

function app() {
  const routes = new Hono()
  routes.put(
    '/:id',
    validate('param', Params, { example: { id: '0b9f3c1e-8a7d-4c6b-9e5f-1a2b3c4d5e6f' } }),
    validate('query', Query),
    validate('json', Body, { example: { title: 'Row 3', price: 800 }, description: 'Both' }),
    (c) => c.json({ id: c.req.valid('param').id, ...c.req.valid('json') }),
  )
  routes.onError(errorHandler(memoryLogger()))
  return routes
}

describe('validate with documentation', () => {
  it('still validates like common’s validate', async () => {
    const res = await app().request('/0b9f3c1e-8a7d-4c6b-9e5f-1a2b3c4d5e6f', {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: '', price: 10 }),
    })
    expect(res.status).toBe(400)
    expect((await res.json()).errors).toEqual([
      { message: 'Title is required', field: 'title' },
      { message: expect.any(String), field: 'price' },
    ])
  })

  it('puts the same schemas in the operation, with their examples', async () => {
    const document = await routesDocument('/api/things', [app()], {
      title: 'things',
      description: 'Things',
      tag: { name: 'things' },
    })
    const operation = document.paths?.['/api/things/{id}']?.put
    expect(operation?.parameters).toEqual([
      {
        in: 'path',
        name: 'id',
        required: true,
        schema: { type: 'string', format: 'uuid' },
        example: '0b9f3c1e-8a7d-4c6b-9e5f-1a2b3c4d5e6f',
      },
      // The query string as it arrives, before the pipe turns it into a number.
      {
        in: 'query',
        name: 'limit',
        required: false,
        schema: { type: 'string', pattern: '^\\d+$' },
      },
    ])
    expect(operation?.requestBody).toEqual({
      required: true,
      description: 'Both',
      content: {
        'application/json': {
          schema: {
            type: 'object',
            properties: {
              title: { type: 'string', minLength: 1 },
              price: { type: 'integer', minimum: 50 },
            },
            required: ['title', 'price'],
          },
          example: { title: 'Row 3', price: 800 },
        },
      },
    })
  })
})
