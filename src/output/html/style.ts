/** The page's style sheet, inlined at write time: system fonts only, nothing fetched. */
export const STYLE = `
:root {
  --fg: #1d2733; --muted: #5b6675; --line: #d5dae1; --grid: #b9c1cc; --bg: #f4f6f9; --card: #fff;
  --accent: #1f5fbf; --accent-bg: #e8f0fc;
  --error: #c62828; --error-bg: #fdecea; --warning: #a15c00; --warning-bg: #fff4e0; --info: #3d5a80; --info-bg: #eaf0f7;
  --hl: #ffe58a; --hl-main: #ffc94a; --hl-ring: #d93025;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; background: var(--bg); color: var(--fg); font-size: 14px; line-height: 1.55;
  font-family: "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif;
}
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
button, input, select { font: inherit; color: inherit; }
.top { background: #17324f; color: #fff; }
.top .wrap { display: flex; align-items: center; gap: 24px; min-height: 52px; }
.top h1 { font-size: 17px; font-weight: 600; margin: 0; letter-spacing: .02em; }
.top .tool { color: #a9bcd3; font-size: 12px; margin-left: auto; }
.tabs { display: flex; gap: 4px; }
.tabs a { color: #d5e1ef; padding: 6px 12px; border-radius: 6px; }
.tabs a.on { background: rgba(255,255,255,.16); color: #fff; }
.tabs a:hover { text-decoration: none; background: rgba(255,255,255,.1); }
.wrap { max-width: 1480px; margin: 0 auto; padding: 0 24px; }
main.wrap { padding-top: 18px; padding-bottom: 48px; }
.filters {
  background: var(--card); border-bottom: 1px solid var(--line); position: sticky; top: 0; z-index: 5;
}
.filters .wrap { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; padding-top: 10px; padding-bottom: 10px; }
.filters input[type=search] { flex: 1 1 260px; min-width: 200px; }
.filters input, .filters select { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; background: #fff; }
.filters select { max-width: 240px; }
.btn { border: 1px solid var(--line); background: #fff; border-radius: 6px; padding: 6px 14px; cursor: pointer; }
.btn:hover { border-color: var(--accent); color: var(--accent); }
.totals { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 12px; margin-bottom: 18px; }
.total { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.total .n { font-size: 26px; font-weight: 600; font-variant-numeric: tabular-nums; line-height: 1.2; }
.total .k { color: var(--muted); font-size: 13px; }
.total.error .n { color: var(--error); } .total.warning .n { color: var(--warning); } .total.info .n { color: var(--info); }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px 18px; margin-bottom: 18px; }
h2 { font-size: 16px; margin: 0 0 12px; font-weight: 600; }
h2 .sub { color: var(--muted); font-weight: 400; font-size: 13px; margin-left: 8px; }
.cols { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); gap: 18px; align-items: start; }
table.list { width: 100%; border-collapse: collapse; }
table.list th, table.list td { padding: 7px 10px; border-bottom: 1px solid #e7eaee; text-align: left; vertical-align: top; }
table.list th { color: var(--muted); font-weight: 500; font-size: 13px; background: #fafbfc; white-space: nowrap; }
table.list td.num, table.list th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.list tr.go { cursor: pointer; }
table.list tr.go:hover td { background: #f5f8fd; }
td.zero { color: #b3bac4; }
table.list td.pages { white-space: nowrap; }
table.list td.agency { min-width: 10em; }
table.list a.rule { display: block; color: var(--accent); }
td.num.error:not(.zero) { color: var(--error); font-weight: 600; }
td.num.warning:not(.zero) { color: var(--warning); font-weight: 600; }
.file { color: var(--muted); font-size: 12px; word-break: break-all; }
.sev { display: inline-block; font-size: 12px; padding: 0 7px; border-radius: 10px; line-height: 20px; white-space: nowrap; font-weight: 500; }
.sev.error { color: var(--error); background: var(--error-bg); }
.sev.warning { color: var(--warning); background: var(--warning-bg); }
.sev.info { color: var(--info); background: var(--info-bg); }
.rule { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); }
.more { margin-top: 12px; }
.empty { color: var(--muted); padding: 12px 0; }
.tag { display: inline-block; font-size: 12px; color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 6px; margin-left: 6px; }
.tag.bad { color: var(--error); border-color: #f3b7b2; background: var(--error-bg); }
.back { display: inline-block; margin-bottom: 12px; }
.dochead h1 { font-size: 20px; margin: 0 0 4px; }
.dochead .title { color: var(--muted); margin-bottom: 10px; }
.meta { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
.meta div { display: flex; gap: 8px; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; word-break: break-all; }
.counts { display: flex; gap: 8px; margin-top: 10px; }
.docbody { display: grid; grid-template-columns: minmax(280px, 360px) minmax(0, 1fr); gap: 18px; align-items: start; }
.findings { position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow: auto; }
ol.flist { list-style: none; margin: 0; padding: 0; }
.finding { border: 1px solid var(--line); border-left: 4px solid var(--line); border-radius: 6px; padding: 9px 12px; margin-bottom: 8px; cursor: pointer; background: #fff; }
.finding.error { border-left-color: var(--error); } .finding.warning { border-left-color: var(--warning); } .finding.info { border-left-color: #8aa1bf; }
.finding:hover { background: #f8fafd; }
.finding.sel { background: var(--accent-bg); border-color: #9db8e6; box-shadow: 0 0 0 1px #9db8e6; }
.finding:focus-visible { outline: 2px solid var(--accent); outline-offset: 1px; }
.finding .head { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
.finding .msg { word-break: break-word; }
.finding .nums { margin-top: 4px; font-size: 13px; color: var(--muted); display: flex; gap: 14px; flex-wrap: wrap; }
.finding .nums b { color: var(--fg); font-weight: 600; font-variant-numeric: tabular-nums; }
.grids h2 { margin-bottom: 10px; }
.gridwrap { overflow-x: auto; margin-bottom: 22px; }
table.grid { border-collapse: collapse; background: #fff; font-size: 13px; min-width: 100%; }
table.grid th, table.grid td { border: 1px solid var(--grid); padding: 4px 7px; }
table.grid th { background: #f1f4f8; font-weight: 500; }
table.grid th.c { text-align: center; vertical-align: middle; }
table.grid th.c.corner { font-size: 11px; color: var(--muted); font-weight: 400; }
table.grid th.corner div { max-width: 17em; margin: 0 auto; }
table.grid th.narrow div { width: 4.5em; }
table.grid th.r { text-align: left; background: #f8f9fb; font-weight: 400; }
table.grid th.s { text-align: left; background: #e7ecf3; font-weight: 600; }
table.grid td { text-align: right; font-variant-numeric: tabular-nums; min-width: 52px; white-space: nowrap; height: 30px; }
table.grid td .raw { font-size: 11px; color: var(--muted); margin-right: 6px; }
table.grid td.k-blank .v, table.grid td.k-dash .v, table.grid td.k-slash .v, table.grid td.k-none .v { color: #8a94a3; }
table.grid td.k-illegible { color: var(--error); }
table.grid td.k-missing, table.grid td.k-absent { color: #b3bac4; text-align: center; }
table.grid td.hl { background: var(--hl); box-shadow: inset 0 0 0 2px var(--hl-ring); color: var(--fg); }
table.grid td.hl-main { background: var(--hl-main); font-weight: 700; }
.hint { color: var(--muted); font-size: 13px; margin: -4px 0 12px; }
@media (max-width: 1000px) {
  .cols, .docbody { grid-template-columns: minmax(0, 1fr); }
  .findings { position: static; max-height: none; }
  .totals { grid-template-columns: repeat(2, minmax(0, 1fr)); }
}
`;
