/** A page-level refusal the error page renders with its status: 403, 404 and the like. */
export class PageError extends Error {
  readonly status: 400 | 403 | 404
  readonly title: string
  constructor(status: 400 | 403 | 404, title: string, message: string) {
    super(message)
    this.status = status
    this.title = title
  }
}

export const notFound = (what = 'page') =>
  new PageError(404, 'Not found', `We could not find that ${what}.`)
