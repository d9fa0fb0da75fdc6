/**
 * Every service of twtix as processes and containers see it: name, port, public prefix, and
 * whether it keeps state. A `stateless` service has no database and no bus (runMain's
 * `infrastructure: false`): it calls the public API at API_URL, the ingress, instead.
 */
export const topology = [
  { name: 'auth', port: 3001, prefix: '/api/users', stateless: false },
  { name: 'tickets', port: 3002, prefix: '/api/tickets', stateless: false },
  { name: 'orders', port: 3003, prefix: '/api/orders', stateless: false },
  { name: 'expiration', port: 3004, prefix: undefined, stateless: false },
  { name: 'payments', port: 3005, prefix: '/api/payments', stateless: false },
  { name: 'storefront', port: 3006, prefix: '/', stateless: true },
] as const

export type ServiceName = (typeof topology)[number]['name']

/** The services with their own database and a place on the event bus. */
export const stateful = topology.filter((s) => !s.stateless)

/** Replica n of a service listens on its port + 100 × n. */
export const replicaPort = (port: number, replica: number) => port + 100 * replica

/** Fills `${NAME}` placeholders the way the nginx image's envsubst does. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (match, name: string) => vars[name] ?? match)
}

/** The ingress variables for a list of upstream addresses per service. */
export function ingressVars(listen: string, servers: (name: ServiceName) => string[]) {
  const vars: Record<string, string> = { INGRESS_LISTEN: listen }
  for (const s of topology) {
    if (!s.prefix) continue
    vars[`${s.name.toUpperCase()}_SERVERS`] = servers(s.name)
      .map((address) => `server ${address} max_fails=1 fail_timeout=2s;`)
      .join(' ')
  }
  return vars
}
