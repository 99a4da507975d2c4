/** The console's stylesheet and script, served from /assets (the CSP allows no inline script or style). */

export const CONSOLE_CSS = `
:root { color-scheme: light; --fg: #1b1f24; --muted: #59636e; --line: #d1d9e0; --accent: #0b5cad; --bg: #fff; --soft: #f6f8fa; --warn: #fff4d6; --bad: #b42318; --good: #1a7f37; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: .5rem; z-index: 10; }
.skip:focus { left: .5rem; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1.5rem; padding: .6rem 1rem; background: #0d1b2a; color: #fff; }
header a { color: #dbe9ff; text-decoration: none; }
header a[aria-current="page"] { color: #fff; text-decoration: underline; text-underline-offset: 4px; font-weight: 600; }
.brand { font-weight: 700; }
header nav ul, .tabs ul { list-style: none; display: flex; flex-wrap: wrap; gap: .25rem 1rem; margin: 0; padding: 0; }
.signout { margin-left: auto; }
main { padding: 1rem; max-width: 1200px; margin: 0 auto; }
main:focus { outline: none; }
h1 { font-size: 1.5rem; margin: .25rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
h3 { font-size: 1.05rem; margin: .5rem 0; }
.tabs { margin: .5rem 0; border-bottom: 1px solid var(--line); padding-bottom: .4rem; }
.tabs a[aria-current="page"] { font-weight: 700; color: var(--fg); text-decoration: none; }
.tabs.sub { border: 0; }
.muted { color: var(--muted); }
.flash { padding: .6rem .8rem; border-radius: 6px; border: 1px solid var(--line); }
.flash.ok { background: #e9f7ee; border-color: #9bd3ae; }
.flash.error { background: #fdecea; border-color: #f4a49b; color: var(--bad); }
.scroll { overflow-x: auto; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; margin: .5rem 0; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
caption { text-align: left; padding: .4rem .6rem; color: var(--muted); font-size: .85rem; }
th, td { text-align: left; padding: .35rem .6rem; border-top: 1px solid var(--line); vertical-align: top; }
thead th { background: var(--soft); white-space: nowrap; }
td { overflow-wrap: anywhere; min-width: 8ch; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88rem; }
ul.plain { list-style: none; margin: 0; padding: 0; }
form.inline { display: inline-flex; flex-wrap: wrap; align-items: center; gap: .4rem; margin: .25rem .5rem .25rem 0; }
form.stack { display: grid; gap: .6rem; max-width: 36rem; margin: .5rem 0 1rem; }
.forms { display: flex; flex-direction: column; gap: .25rem; }
.field { display: grid; gap: .2rem; border: 0; padding: 0; margin: 0; }
fieldset.field legend { font-weight: 600; padding: 0; margin-bottom: .2rem; }
label { font-weight: 600; }
label.check { font-weight: 400; display: inline-flex; align-items: center; gap: .35rem; margin-right: 1rem; min-height: 1.8rem; }
small { color: var(--muted); }
input, select, textarea, button { font: inherit; }
input:not([type=checkbox]), select, textarea { padding: .35rem .5rem; border: 1px solid #8c959f; border-radius: 5px; max-width: 100%; background: #fff; color: var(--fg); }
button { padding: .4rem .8rem; border-radius: 5px; border: 1px solid #0b5cad; background: #0b5cad; color: #fff; cursor: pointer; min-height: 2.1rem; }
td button { white-space: nowrap; }
ul.cards { list-style: none; padding: 0; margin: .5rem 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(270px, 1fr)); gap: .8rem; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: .6rem .8rem; }
.card h3 { margin-top: 0; }
.tenants li { margin: .15rem 0; }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
header button { background: transparent; border-color: #dbe9ff; }
details { margin: .5rem 0; }
summary { cursor: pointer; font-weight: 600; color: var(--accent); padding: .3rem 0; }
.created { border: 2px solid #d4a72c; background: var(--warn); border-radius: 8px; padding: .8rem; margin: .5rem 0 1rem; }
.warning { margin: 0 0 .6rem; }
.secret-field { display: grid; gap: .2rem; margin: .4rem 0; }
.copyrow { display: flex; gap: .4rem; align-items: stretch; }
.copyrow input, .copyrow textarea { flex: 1; min-width: 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; min-width: 0; overflow-wrap: anywhere; }
.pager { display: flex; gap: 1rem; margin: .5rem 0; }
.chart { margin: .5rem 0; }
.chart svg { width: 100%; height: 160px; color: var(--accent); background: var(--soft); border: 1px solid var(--line); border-radius: 6px; }
pre { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: .6rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.status-2 { color: var(--good); } .status-4, .status-5 { color: var(--bad); font-weight: 600; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1rem; align-items: end; }
.filters .field { min-width: 8rem; }
@media (max-width: 600px) {
  main { padding: .6rem; }
  header { gap: .3rem .8rem; }
  .signout { margin-left: 0; }
  form.inline { display: flex; }
  th, td { padding: .3rem .4rem; }
}
`;

export const CONSOLE_JS = `
'use strict';
document.addEventListener('click', async (e) => {
  const b = e.target.closest && e.target.closest('button[data-copy]');
  if (!b) return;
  const el = document.getElementById(b.getAttribute('data-copy'));
  if (!el) return;
  el.select();
  try { await navigator.clipboard.writeText(el.value); } catch { document.execCommand && document.execCommand('copy'); }
  b.textContent = 'Copied';
  setTimeout(() => { b.textContent = 'Copy'; }, 1500);
});
document.addEventListener('change', (e) => {
  const s = e.target;
  if (s.matches && s.matches('select[data-autosubmit]') && s.form) s.form.requestSubmit();
});
// Live tables: a <tbody data-live="URL"> is refreshed from URL (JSON {html}) every 700 ms while the page is visible.
for (const body of document.querySelectorAll('[data-live]')) {
  const url = body.getAttribute('data-live');
  let busy = false;
  setInterval(async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const res = await fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
      if (res.ok) {
        const data = await res.json();
        if (data.html !== body.getAttribute('data-last')) { body.innerHTML = data.html; body.setAttribute('data-last', data.html); }
        const count = document.getElementById(body.getAttribute('data-count') || '');
        if (count && typeof data.count === 'string') count.textContent = data.count;
      }
    } catch {}
    busy = false;
  }, 700);
}
`;
