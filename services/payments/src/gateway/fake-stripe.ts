import { createServer, type IncomingMessage } from 'node:http'

export type SeenRequest = {
  method: string
  path: string
  headers: IncomingMessage['headers']
  form: URLSearchParams
}

type Reply = { status: number; body: unknown }

function intent(id: string, form: URLSearchParams, status: string) {
  return {
    id,
    object: 'payment_intent',
    amount: Number(form.get('amount')),
    currency: form.get('currency'),
    status,
    metadata: { orderId: form.get('metadata[orderId]') },
    last_payment_error: null,
  }
}

function cardError(form: URLSearchParams, declineCode: string, message: string): Reply {
  return {
    status: 402,
    body: {
      error: {
        type: 'card_error',
        code: 'card_declined',
        decline_code: declineCode,
        message,
        payment_intent: intent('pi_declined', form, 'requires_payment_method'),
      },
    },
  }
}

/** Stripe's answers, in Stripe's JSON shapes, for the few calls twtix makes. */
function answer(method: string, path: string, form: URLSearchParams): Reply {
  if (method === 'POST' && path === '/v1/payment_intents') {
    const token = form.get('payment_method_data[card][token]')
    if (token === 'tok_visa') return { status: 200, body: intent('pi_fake_1', form, 'succeeded') }
    if (token === 'tok_chargeDeclined')
      return cardError(form, 'generic_decline', 'Your card was declined.')
    if (token === 'tok_processing')
      return { status: 200, body: intent('pi_fake_2', form, 'processing') }
    if (token === 'tok_bad_amount') {
      return {
        status: 400,
        body: {
          error: { type: 'invalid_request_error', param: 'amount', message: 'Invalid integer' },
        },
      }
    }
    return {
      status: 400,
      body: {
        error: {
          type: 'invalid_request_error',
          code: 'resource_missing',
          param: 'payment_method_data[card][token]',
          message: `No such token: '${token}'`,
        },
      },
    }
  }
  if (method === 'POST' && path === '/v1/refunds') {
    if (form.get('payment_intent') === 'pi_refunded') {
      return {
        status: 400,
        body: {
          error: {
            type: 'invalid_request_error',
            code: 'charge_already_refunded',
            message: 'Charge ch_1 has already been refunded.',
          },
        },
      }
    }
    return {
      status: 200,
      body: {
        id: 're_fake_1',
        object: 'refund',
        status: 'succeeded',
        payment_intent: form.get('payment_intent'),
      },
    }
  }
  if (method === 'POST' && path === '/v1/accounts') {
    return {
      status: 200,
      body: { id: 'acct_fake_1', object: 'account', type: 'express', country: 'JP' },
    }
  }
  if (method === 'POST' && path === '/v1/account_links') {
    return {
      status: 200,
      body: {
        object: 'account_link',
        url: `https://connect.stripe.com/setup/e/${form.get('account')}/fake`,
        expires_at: 1_900_000_000,
      },
    }
  }
  if (method === 'GET' && path.startsWith('/v1/payment_intents/')) {
    const id = path.slice('/v1/payment_intents/'.length)
    return { status: 200, body: { id, object: 'payment_intent', latest_charge: 'ch_fake_1' } }
  }
  if (method === 'POST' && path === '/v1/transfers') {
    return {
      status: 200,
      body: {
        id: 'tr_fake_1',
        object: 'transfer',
        amount: Number(form.get('amount')),
        destination: form.get('destination'),
      },
    }
  }
  const reversal = /^\/v1\/transfers\/([^/]+)\/reversals$/.exec(path)
  if (method === 'POST' && reversal) {
    return {
      status: 200,
      body: { id: 'trr_fake_1', object: 'transfer_reversal', transfer: reversal[1] },
    }
  }
  return {
    status: 404,
    body: { error: { type: 'invalid_request_error', message: 'Unrecognized request URL' } },
  }
}

/** A local stand-in for api.stripe.com that records every request it receives. */
export async function startFakeStripe() {
  const requests: SeenRequest[] = []
  const server = createServer((req, res) => {
    let raw = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      raw += chunk
    })
    req.on('end', () => {
      const form = new URLSearchParams(raw)
      const path = req.url ?? ''
      requests.push({ method: req.method ?? '', path, headers: req.headers, form })
      const reply = answer(req.method ?? '', path, form)
      res.writeHead(reply.status, { 'Content-Type': 'application/json', 'Request-Id': 'req_fake' })
      res.end(JSON.stringify(reply.body))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
