// kafkajs ships no types for its internals; kafkajs-request-queue.ts patches this one class.
declare module 'kafkajs/src/network/requestQueue/index.js' {
  const RequestQueue: { prototype: object; new (options: Record<string, unknown>): object }
  export default RequestQueue
}
