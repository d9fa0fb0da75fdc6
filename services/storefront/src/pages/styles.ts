/** The whole stylesheet: mobile first, WCAG AA contrast, a visible focus ring on everything. */
export const styles = `
:root {
  --ink: #1b1b1f; --muted: #4a4a55; --paper: #ffffff; --wash: #f4f4f7; --line: #c9c9d3;
  --brand: #0b57d0; --brand-dark: #0842a0; --danger: #b3261e; --danger-wash: #fdecea;
  --ok: #0f5c2e; --ok-wash: #ddf4e4; --hold: #7a4100; --hold-wash: #fff0d4;
  --focus: #0b57d0; --radius: 10px;
  font-family: system-ui, -apple-system, "Segoe UI", "Hiragino Sans", "Noto Sans JP", sans-serif;
  color: var(--ink); background: var(--wash); line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; display: flex; flex-direction: column; }
a { color: var(--brand); text-underline-offset: 2px; }
a:hover { color: var(--brand-dark); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--paper); padding: .5rem 1rem; }
.skip:focus { left: .5rem; top: .5rem; z-index: 10; }
.site { background: var(--paper); border-bottom: 1px solid var(--line); }
.site nav { max-width: 60rem; margin: 0 auto; padding: .5rem 1rem; display: flex; flex-wrap: wrap;
  align-items: center; gap: .25rem 1rem; }
.brand { font-weight: 800; font-size: 1.3rem; text-decoration: none; color: var(--ink); margin-right: auto; }
.site ul { list-style: none; display: flex; flex-wrap: wrap; align-items: center; gap: .25rem 1rem;
  margin: 0; padding: 0; }
.site a, .linklike { display: inline-block; padding: .4rem 0; }
.site a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
.who { color: var(--muted); font-size: .9rem; overflow-wrap: anywhere; }
.linklike { background: none; border: 0; color: var(--brand); font: inherit; text-decoration: underline;
  text-underline-offset: 2px; cursor: pointer; }
main { flex: 1; width: 100%; max-width: 60rem; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
footer { color: var(--muted); font-size: .85rem; text-align: center; padding: 1.5rem 1rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: .5rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
.panel { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius); padding: 1rem; }
.narrow { max-width: 28rem; }
.tickets, .orders { list-style: none; margin: 0; padding: 0; display: grid; gap: .75rem; }
.card { background: var(--paper); border: 1px solid var(--line); border-radius: var(--radius);
  padding: .9rem 1rem; display: flex; flex-direction: column; gap: .35rem; }
.card h2, .card h3 { margin: 0; font-size: 1.1rem; overflow-wrap: anywhere; }
.card .meta { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem; color: var(--muted); }
.price { font-weight: 700; color: var(--ink); font-size: 1.1rem; font-variant-numeric: tabular-nums; }
.big { font-size: 1.8rem; }
.badge { display: inline-block; border-radius: 999px; padding: .1rem .6rem; font-size: .85rem;
  font-weight: 700; border: 1px solid currentColor; }
.badge.reserved, .badge.created { color: var(--hold); background: var(--hold-wash); }
.badge.sold, .badge.cancelled, .badge.expired { color: #33333b; background: #e8e8ee; }
.badge.available, .badge.complete { color: var(--ok); background: var(--ok-wash); }
.pager { display: flex; justify-content: space-between; gap: 1rem; margin: 1.25rem 0; }
form { margin: 0; }
.field { margin: 0 0 1rem; }
label, legend { display: block; font-weight: 600; margin-bottom: .25rem; }
legend { padding: 0; }
.hint { color: var(--muted); font-size: .9rem; margin: .25rem 0 0; }
.listed { margin-bottom: 1.25rem; }
.ticket-meta { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: 0 0 .75rem; }
input[type="text"], input[type="email"], input[type="password"], input[type="datetime-local"],
input:not([type]), select {
  width: 100%; font: inherit; padding: .65rem .75rem; border: 2px solid #6b6b78; border-radius: 8px;
  background: var(--paper); color: var(--ink); min-height: 2.75rem; }
input[aria-invalid="true"] { border-color: var(--danger); }
.field-error { color: var(--danger); font-weight: 600; margin: .35rem 0 0; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; min-width: 0; }
fieldset:disabled { opacity: .6; }
.search { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr)); gap: 0 1rem; align-items: end; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
table.listings { width: 100%; border-collapse: collapse; margin: 0 0 1rem; }
table.listings th, table.listings td { text-align: left; padding: .5rem; border-bottom: 1px solid #d4d4dc; }
.choice { display: flex; align-items: center; gap: .6rem; padding: .55rem .75rem; border: 1px solid var(--line);
  border-radius: 8px; margin-bottom: .4rem; background: var(--paper); font-weight: 400; }
.choice input { width: 1.2rem; height: 1.2rem; margin: 0; accent-color: var(--brand); }
button, .button { display: inline-block; font: inherit; font-weight: 700; border-radius: 8px;
  padding: .7rem 1.2rem; min-height: 2.75rem; border: 2px solid var(--brand); background: var(--brand);
  color: #fff; cursor: pointer; text-decoration: none; text-align: center; }
button:hover, .button:hover { background: var(--brand-dark); border-color: var(--brand-dark); color: #fff; }
button:disabled { background: #6b6b78; border-color: #6b6b78; cursor: not-allowed; }
button.secondary, .button.secondary { background: var(--paper); color: var(--brand); }
button.secondary:hover { background: var(--wash); color: var(--brand-dark); }
.wide { width: 100%; }
.actions { display: flex; flex-wrap: wrap; gap: .75rem; align-items: center; margin-top: 1rem; }
.alert { border-left: 5px solid var(--danger); background: var(--danger-wash); padding: .75rem 1rem;
  border-radius: 6px; margin: 0 0 1rem; }
.alert ul { margin: .25rem 0 0; padding-left: 1.2rem; }
.notice { border-left: 5px solid var(--ok); background: var(--ok-wash); padding: .75rem 1rem;
  border-radius: 6px; margin: 0 0 1rem; }
.hold { border: 2px solid var(--hold); background: var(--hold-wash); border-radius: var(--radius);
  padding: .75rem 1rem; margin: 0 0 1rem; }
.hold .timer { font-size: 2rem; font-weight: 800; font-variant-numeric: tabular-nums; display: block; }
.hold.ended { border-color: #6b6b78; background: #e8e8ee; }
.card-element { padding: .8rem; border: 2px solid #6b6b78; border-radius: 8px; background: var(--paper); }
.empty { color: var(--muted); }
@media (min-width: 40rem) {
  main { padding: 1.5rem 1rem; }
  h1 { font-size: 2rem; }
  .tickets { grid-template-columns: repeat(2, 1fr); }
  .wide { width: auto; }
}
@media (min-width: 60rem) { .tickets { grid-template-columns: repeat(3, 1fr); } }
`
