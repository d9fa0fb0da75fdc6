import type { Child } from 'hono/jsx'
import type { User } from '../api.ts'
import { styles } from './styles.ts'

export type LayoutProps = {
  title: string
  user: User | null
  /** The request's path, to mark the current link in the menu. */
  path: string
  nonce?: string
  /** Reload the page after this many seconds (a payment being confirmed), no script needed. */
  refreshSeconds?: number
  children: Child
}

function NavLink(props: { href: string; path: string; children: Child }) {
  const current = props.path === props.href
  return (
    <li>
      <a href={props.href} aria-current={current ? 'page' : undefined}>
        {props.children}
      </a>
    </li>
  )
}

/** The one layout: menu, main landmark, the stylesheet inline. */
export function Layout(props: LayoutProps) {
  const { user, path } = props
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="color-scheme" content="light" />
        {props.refreshSeconds ? (
          <meta http-equiv="refresh" content={String(props.refreshSeconds)} />
        ) : null}
        <title>{`${props.title} · twtix`}</title>
        <link rel="icon" href="data:," />
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: styles }} />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="site">
          <nav aria-label="Main">
            <a class="brand" href="/">
              twtix
            </a>
            <ul>
              <NavLink href="/" path={path}>
                Tickets
              </NavLink>
              <NavLink href="/events" path={path}>
                Events
              </NavLink>
              <NavLink href="/sell" path={path}>
                Sell a ticket
              </NavLink>
              {user ? (
                <>
                  <NavLink href="/orders" path={path}>
                    My orders
                  </NavLink>
                  <NavLink href="/sales" path={path}>
                    My sales
                  </NavLink>
                  {user.role === 'admin' ? (
                    <NavLink href="/admin/claims" path={path}>
                      Claims
                    </NavLink>
                  ) : null}
                  <li class="who">{user.email}</li>
                  <li>
                    <form method="post" action="/signout">
                      <button type="submit" class="linklike">
                        Sign out
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <NavLink href="/signin" path={path}>
                    Sign in
                  </NavLink>
                  <NavLink href="/signup" path={path}>
                    Sign up
                  </NavLink>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {props.children}
        </main>
        <footer>twtix · resale tickets · prices in Japanese yen</footer>
      </body>
    </html>
  )
}
