import * as v from 'valibot'

export const CODE_MAX = 500
export const URL_MAX = 2000
/** 2 MB: a ticket PDF or a QR code image is far smaller. */
export const FILE_MAX_BYTES = 2 * 1024 * 1024

/** What a file upload may be, with the bytes every such file starts with. */
export const FILE_TYPES = {
  'application/pdf': { magic: [0x25, 0x50, 0x44, 0x46, 0x2d], extension: 'pdf', name: 'PDF' },
  'image/png': {
    magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    extension: 'png',
    name: 'PNG image',
  },
} as const

export type FileType = keyof typeof FILE_TYPES

const storable = (label: string) =>
  v.check(
    (s: string) => !s.includes('\u0000') && !/[\ud800-\udfff]/u.test(s),
    `${label} must be valid text without NUL characters`,
  )

const Code = v.pipe(
  v.string('Code must be a string'),
  v.trim(),
  v.nonEmpty('Code must not be blank'),
  v.check((s) => [...s].length <= CODE_MAX, `Code must be at most ${CODE_MAX} characters`),
  storable('Code'),
  v.description(`A transfer code, 1 to ${CODE_MAX} characters`),
)

function isHttps(s: string): boolean {
  try {
    return new URL(s).protocol === 'https:'
  } catch {
    return false // v.url has said so already: the pipe goes on after an issue
  }
}

const Url = v.pipe(
  v.string('URL must be a string'),
  v.trim(),
  v.maxLength(URL_MAX, `URL must be at most ${URL_MAX} characters`),
  v.url('URL must be a valid URL'),
  v.check(isHttps, 'URL must start with https://'),
  storable('URL'),
  v.description(`An https:// link to the ticket, at most ${URL_MAX} characters`),
)

/** A code or a URL: exactly one. A file is sent as the raw body instead. */
export const DeliveryJsonBody = v.pipe(
  v.object({ code: v.optional(Code), url: v.optional(Url) }),
  v.check(
    (body) => (body.code === undefined) !== (body.url === undefined),
    'Provide either a code or a url',
  ),
)
