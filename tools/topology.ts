import { type ServiceName, services } from '../embedded/services.ts'

export type { ServiceName }

/** The services with their own database and a place on the event bus. */
export const stateful = services.filter((s) => !s.stateless)

/** Replica n of a service listens on its port + 100 × n. */
export const replicaPort = (port: number, replica: number) => port + 100 * replica

/** Fills `${NAME}` placeholders the way the nginx image's envsubst does. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\$\{(\w+)\}/g, (match, name: string) => vars[name] ?? match)
}

/** Requests per second per client address at the ingress, for auth and for orders and payments. */
export type IngressRates = { auth: string; writes: string }
export const DEFAULT_INGRESS_RATES: IngressRates = { auth: '10r/s', writes: '20r/s' }

/** The ingress variables for a list of upstream addresses per service. */
export function ingressVars(
  listen: string,
  servers: (name: ServiceName) => string[],
  rates: IngressRates = DEFAULT_INGRESS_RATES,
  /** Proxies in front of the ingress (a TLS terminator) whose X-Forwarded-For nginx believes. */
  realIpFrom: string[] = [],
) {
  const vars: Record<string, string> = {
    INGRESS_LISTEN: listen,
    INGRESS_AUTH_RATE: rates.auth,
    INGRESS_WRITE_RATE: rates.writes,
    INGRESS_REAL_IP_FROM: realIpFrom.map((range) => `set_real_ip_from ${range};`).join(' '),
  }
  for (const s of services) {
    if (!s.prefix) continue
    vars[`${s.name.toUpperCase()}_SERVERS`] = servers(s.name)
      .map((address) => `server ${address} max_fails=1 fail_timeout=2s;`)
      .join(' ')
  }
  return vars
}
