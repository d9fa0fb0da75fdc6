import type { FormErrors } from '../form.ts'
import { ErrorSummary, Field } from './components.tsx'

export type SignUpPageProps = { email: string; next: string; errors: FormErrors }

export function SignUpPage(props: SignUpPageProps) {
  const { fields, general } = props.errors
  const query = props.next === '/' ? '' : `?next=${encodeURIComponent(props.next)}`
  return (
    <div class="panel narrow">
      <h1>Sign up</h1>
      <ErrorSummary errors={general} />
      <form method="post" action="/signup" novalidate>
        <input type="hidden" name="next" value={props.next} />
        <Field
          name="email"
          label="Email"
          type="email"
          autocomplete="email"
          value={props.email}
          error={fields.email}
          required
          autofocus={Boolean(fields.email) || !fields.password}
        />
        <Field
          name="password"
          label="Password"
          type="password"
          autocomplete="new-password"
          hint="8 to 128 characters."
          error={fields.password}
          required
          autofocus={Boolean(fields.password) && !fields.email}
        />
        <button type="submit" class="wide">
          Create account
        </button>
      </form>
      <p>
        Already have an account? <a href={`/signin${query}`}>Sign in</a>
      </p>
    </div>
  )
}
