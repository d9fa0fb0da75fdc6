import type { FormErrors } from '../form.ts'
import { ErrorSummary, Field } from './components.tsx'

export type SignInPageProps = { email: string; next: string; errors: FormErrors }

export function SignInPage(props: SignInPageProps) {
  const { fields, general } = props.errors
  const query = props.next === '/' ? '' : `?next=${encodeURIComponent(props.next)}`
  return (
    <div class="panel narrow">
      <h1>Sign in</h1>
      <ErrorSummary errors={general} />
      <form method="post" action="/signin" novalidate>
        <input type="hidden" name="next" value={props.next} />
        <Field
          name="email"
          label="Email"
          type="email"
          autocomplete="email"
          value={props.email}
          error={fields.email}
          required
          autofocus={!props.email || Boolean(fields.email)}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="current-password"
          error={fields.password}
          required
          autofocus={Boolean(props.email) && !fields.email}
        />
        <button type="submit" class="wide">
          Sign in
        </button>
      </form>
      <p>
        New to twtix? <a href={`/signup${query}`}>Create an account</a>
      </p>
    </div>
  )
}
