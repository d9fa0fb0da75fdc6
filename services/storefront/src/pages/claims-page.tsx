import { tokyoTime } from '../format.ts'
import { ErrorSummary, Notice } from './components.tsx'

export type OpenClaim = {
  id: string
  orderId: string
  reason: string
  details: string | null
  openedAt: string
}

/** An admin's open claims, each with Refund and Release. */
export function ClaimsPage(props: { claims: OpenClaim[]; notice?: string; errors?: string[] }) {
  return (
    <>
      <h1>Open claims</h1>
      {props.notice ? <Notice>{props.notice}</Notice> : null}
      <ErrorSummary errors={props.errors ?? []} />
      {props.claims.length === 0 ? (
        <p class="empty">No open claims.</p>
      ) : (
        <ul class="orders">
          {props.claims.map((claim) => (
            <li class="card">
              <div class="meta">
                <span class="badge">{claim.reason}</span>
                <span>Opened {tokyoTime(claim.openedAt)}</span>
              </div>
              <p class="hint">Order {claim.orderId}</p>
              {claim.details ? <p>{claim.details}</p> : null}
              <div class="actions">
                <form method="post" action={`/admin/claims/${claim.id}/resolve`}>
                  <input type="hidden" name="outcome" value="refund" />
                  <button type="submit">Refund</button>
                </form>
                <form method="post" action={`/admin/claims/${claim.id}/resolve`}>
                  <input type="hidden" name="outcome" value="release" />
                  <button type="submit">Release</button>
                </form>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
