import process from 'node:process'
import { sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDatabase, type Database } from './database.ts'
import { rowsOf } from './types.ts'

// postgres.js only: what `prepareStatements` makes of drizzle's statements on a real server.
const url = process.env.DATABASE_URL
if (!url) console.log('prepared-statements.test.ts skipped: set DATABASE_URL')

describe.skipIf(!url)('statements with parameters', () => {
  let database: Database
  const table = `prepared_${process.pid}`
  beforeAll(async () => {
    database = await createDatabase({ url, poolSize: 1 })
    await database.db.execute(sql.raw(`create table ${table} (id int primary key, name text)`))
    await database.db.execute(sql.raw(`insert into ${table} values (1, 'one'), (2, 'two')`))
  })
  afterAll(async () => {
    await database?.db.execute(sql.raw(`drop table if exists ${table}`))
    await database?.close()
  })

  const byId = (id: number) => sql`select * from ${sql.raw(table)} where id = ${id}`
  const kept = async (text: string) =>
    rowsOf<{ n: number }>(
      await database.db.execute(
        sql`select count(*)::int as n from pg_prepared_statements where statement = ${text}`,
      ),
    )[0]?.n

  it('are prepared once per connection and run again from there', async () => {
    const text = `select * from ${table} where id = $1`
    expect(await kept(text)).toBe(0)
    expect(rowsOf(await database.db.execute(byId(1)))).toEqual([{ id: 1, name: 'one' }])
    expect(await kept(text)).toBe(1)
    expect(rowsOf(await database.db.execute(byId(2)))).toEqual([{ id: 2, name: 'two' }])
    expect(await kept(text)).toBe(1)
  })

  it('are prepared in a transaction and its savepoints too', async () => {
    const text = `select name from ${table} where id = $1`
    const name = (tx: Pick<Database['db'], 'execute'>, id: number) =>
      tx.execute(sql`select name from ${sql.raw(table)} where id = ${id}`)
    await database.db.transaction(async (tx) => {
      expect(rowsOf(await name(tx, 1))).toEqual([{ name: 'one' }])
      await tx.transaction(async (inner) => {
        expect(rowsOf(await name(inner, 2))).toEqual([{ name: 'two' }])
      })
    })
    expect(await kept(text)).toBe(1)
  })

  it('answer in the new shape after a migration changed it', async () => {
    expect(rowsOf(await database.db.execute(byId(1)))).toEqual([{ id: 1, name: 'one' }])
    await database.db.execute(sql.raw(`alter table ${table} add column seat text default 'A1'`))
    expect(rowsOf(await database.db.execute(byId(1)))).toEqual([{ id: 1, name: 'one', seat: 'A1' }])
  })

  it('fail a transaction once after a migration changed a column they read, then run again', async () => {
    const names = () =>
      database.db.transaction(async (tx) =>
        rowsOf(await tx.execute(sql`select name from ${sql.raw(table)} where id = ${2}`)),
      )
    expect(await names()).toEqual([{ name: 'two' }])
    await database.db.execute(sql.raw(`alter table ${table} alter column name type varchar(40)`))
    await expect(names()).rejects.toMatchObject({ cause: { code: '0A000' } })
    expect(await names()).toEqual([{ name: 'two' }])
  })
})
