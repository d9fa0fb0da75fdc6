/** A promise opened from outside: `await g.opened` waits until `g.open()`. */
export function gate() {
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => {
    open = resolve
  })
  return { open, opened }
}
