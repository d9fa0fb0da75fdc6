export function ErrorPage(props: { title: string; message: string }) {
  return (
    <div class="panel narrow">
      <h1>{props.title}</h1>
      <p>{props.message}</p>
      <p>
        <a href="/">Back to the tickets</a>
      </p>
    </div>
  )
}
