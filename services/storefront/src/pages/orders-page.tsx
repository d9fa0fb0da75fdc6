import type { Order } from '../api.ts'
import { tokyoTime } from '../format.ts'
import { OrderBadge, Price } from './components.tsx'
import { orderState } from './order-page.tsx'

export function OrdersPage(props: { orders: Order[]; now: Date }) {
  return (
    <>
      <h1>My orders</h1>
      {props.orders.length === 0 ? (
        <p class="empty">
          You have no orders yet. <a href="/">Find a ticket</a>
        </p>
      ) : (
        <ul class="orders">
          {props.orders.map((order) => (
            <li class="card">
              <h2>
                <a href={`/orders/${order.id}`}>{order.ticket.title}</a>
              </h2>
              <div class="meta">
                <Price amount={order.ticket.price} />
                <OrderBadge state={orderState(order, props.now)} />
                <span>{tokyoTime(order.createdAt)}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
    </>
  )
}
