// Styles every component's shadow root adopts: headings, tables, forms, buttons, cards, badges, layout helpers.
import { css } from 'lit';

export const shared = css`
  :host { display: block; }
  h1 { font-size: 1.5rem; margin: 0 0 0.75rem; }
  h2 { font-size: 1.2rem; margin: 1.25rem 0 0.5rem; }
  h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
  p { margin: 0.4rem 0; }
  a { color: var(--o-accent); }
  code, .mono { font-family: var(--o-mono); font-size: 0.9em; }
  .muted { color: var(--o-muted); }
  .row { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
  .spread { display: flex; justify-content: space-between; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
  .grid { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fill, minmax(280px, 1fr)); }
  .card { background: var(--o-surface); border: 1px solid var(--o-border); border-radius: var(--o-radius); padding: 1rem; }
  .card h2, .card h3 { margin-top: 0; }
  table { border-collapse: collapse; width: 100%; background: var(--o-surface); }
  th, td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--o-border); vertical-align: top; }
  th { font-weight: 600; background: #eef1f5; }
  th button.sort { all: unset; cursor: pointer; font-weight: 600; }
  th button.sort:focus-visible { outline: 2px solid var(--o-accent); }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .table-wrap { overflow-x: auto; border: 1px solid var(--o-border); border-radius: var(--o-radius); }
  button, .button {
    font: inherit; border: 1px solid var(--o-accent); background: var(--o-accent); color: var(--o-accent-text);
    border-radius: var(--o-radius); padding: 0.35rem 0.8rem; cursor: pointer; text-decoration: none; display: inline-block;
  }
  button.secondary, .button.secondary { background: var(--o-surface); color: var(--o-accent); }
  button.danger { background: var(--o-bad); border-color: var(--o-bad); }
  button:disabled { opacity: 0.55; cursor: not-allowed; }
  button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible {
    outline: 2px solid var(--o-accent); outline-offset: 2px;
  }
  label { display: block; font-weight: 600; margin: 0.6rem 0 0.2rem; }
  label.inline { display: inline-flex; gap: 0.35rem; align-items: center; font-weight: normal; margin: 0.2rem 0.8rem 0.2rem 0; }
  input, select, textarea {
    font: inherit; padding: 0.35rem 0.5rem; border: 1px solid var(--o-border); border-radius: var(--o-radius);
    background: var(--o-surface); color: var(--o-text); box-sizing: border-box;
  }
  textarea { width: 100%; font-family: var(--o-mono); font-size: 0.9rem; }
  .field-error { color: var(--o-bad); font-size: 0.9rem; margin: 0.2rem 0; }
  .badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.85rem; border: 1px solid transparent; }
  .badge.ok { background: var(--o-ok-bg); color: var(--o-ok); border-color: #b7e1c4; }
  .badge.bad { background: var(--o-bad-bg); color: var(--o-bad); border-color: #f3b8b2; }
  .badge.warn { background: var(--o-warn-bg); color: var(--o-warn); border-color: #f0cf95; }
  .badge.info { background: var(--o-info-bg); color: var(--o-accent); border-color: #b9d3f0; }
  .tabs { display: flex; gap: 0.25rem; border-bottom: 1px solid var(--o-border); margin: 1rem 0; flex-wrap: wrap; }
  .tabs a { padding: 0.4rem 0.8rem; text-decoration: none; border: 1px solid transparent; border-bottom: none; border-radius: var(--o-radius) var(--o-radius) 0 0; }
  .tabs a[aria-current='page'] { background: var(--o-surface); border-color: var(--o-border); color: var(--o-text); font-weight: 600; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.25rem 1rem; margin: 0.5rem 0; }
  dl.facts dt { color: var(--o-muted); }
  dl.facts dd { margin: 0; }
  @media (max-width: 640px) {
    .grid { grid-template-columns: 1fr; }
    th, td { padding: 0.35rem 0.4rem; }
  }
`;
