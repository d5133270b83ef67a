extension WorkbenchPage {
    // System Chinese fonts only (bureau intranets have no internet): YaHei on Windows, PingFang on
    // macOS, Noto/WenQuanYi on Linux. Laid out for 1366×768 and wider.
    static let css: String = #"""
    :root {
      --ink: #1d2733;
      --muted: #5b6776;
      --line: #c9d2dd;
      --line-strong: #8e9aaa;
      --paper: #ffffff;
      --page: #f3f5f8;
      --head: #eaeff5;
      --brand: #1f4e8c;
      --brand-dark: #173b6b;
      --focus: #f0a500;
      --error: #b42318;
      --error-bg: #fdecea;
      --warning: #7a4d00;
      --warning-bg: #fff3d1;
      --info: #2d4a68;
      --info-bg: #e6eef7;
      --ok: #1f6b3a;
      --ok-bg: #e5f4ea;
      font-family: "Microsoft YaHei", "微软雅黑", "PingFang SC", "Hiragino Sans GB", "Noto Sans CJK SC",
        "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif;
      font-size: 15px;
      line-height: 1.6;
      color: var(--ink);
      background: var(--page);
    }

    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    body { margin: 0; min-width: 1000px; }
    h1, h2, h3 { line-height: 1.3; }
    h2 { font-size: 20px; margin: 0 0 4px; }
    h3 { font-size: 16px; margin: 20px 0 8px; }
    code { font-family: Consolas, "DejaVu Sans Mono", monospace; font-size: 13px; }
    a { color: var(--brand); }
    :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }

    .masthead { background: var(--brand); color: #fff; }
    .masthead-inner { max-width: 1280px; margin: 0 auto; padding: 12px 24px; display: flex; align-items: baseline; gap: 20px; }
    .masthead h1 { margin: 0; font-size: 22px; letter-spacing: 2px; }
    .masthead p { margin: 0; color: #d7e3f3; }

    /* Tabs */
    .tabs { max-width: 1280px; margin: 0 auto; padding: 0 24px; display: flex; gap: 4px; border-bottom: 1px solid var(--line); }
    .tabs button {
      font: inherit; font-size: 16px; padding: 10px 28px; margin-top: 10px; cursor: pointer;
      border: 1px solid transparent; border-bottom: 0; border-radius: 6px 6px 0 0; background: transparent; color: var(--muted);
    }
    .tabs button:hover { color: var(--brand); }
    .tabs button[aria-selected="true"] {
      background: var(--paper); color: var(--brand); font-weight: bold; border-color: var(--line);
      position: relative; top: 1px;
    }

    main { max-width: 1280px; margin: 0 auto; padding: 0 24px 48px; }
    .panel { background: var(--paper); border: 1px solid var(--line); border-top: 0; padding: 20px 24px 28px; }
    .hint { color: var(--muted); margin: 0 0 16px; }
    .muted { color: var(--muted); }

    /* Forms */
    .fields { display: flex; flex-wrap: wrap; gap: 16px 24px; margin-bottom: 14px; }
    .field { display: flex; flex-direction: column; gap: 4px; }
    .field-label { font-weight: bold; font-size: 14px; }
    select, input[type="month"], input[type="password"], input[type="text"] {
      font: inherit; padding: 6px 10px; min-width: 260px; height: 38px;
      border: 1px solid var(--line-strong); border-radius: 4px; background: #fff; color: var(--ink);
    }
    .drop { position: relative; border: 2px dashed var(--line-strong); border-radius: 8px; background: #fafbfd; }
    .drop.is-over { border-color: var(--brand); background: #eef4fc; }
    .drop input[type="file"] { position: absolute; width: 1px; height: 1px; opacity: 0; }
    .drop label { display: block; padding: 16px; text-align: center; cursor: pointer; }
    .drop label small { display: block; color: var(--muted); margin-top: 2px; }
    .drop .link { color: var(--brand); text-decoration: underline; }
    .drop:focus-within { outline: 3px solid var(--focus); outline-offset: 2px; }

    /* About five files high, so the start button stays on screen at 1366×768 with a month of returns. */
    .files { margin-top: 10px; border: 1px solid var(--line); border-radius: 6px; max-height: 176px; overflow-y: auto; }
    .files ul { list-style: none; margin: 0; padding: 0; }
    .files li { display: grid; grid-template-columns: minmax(0, 1fr) 90px 64px; gap: 2px 12px; align-items: center; padding: 3px 12px; border-top: 1px solid #edf0f4; }
    .files li:first-child { border-top: 0; }
    .files .file-name { overflow-wrap: anywhere; }
    .files .file-size { color: var(--muted); text-align: right; font-variant-numeric: tabular-nums; }
    .files .file-error { grid-column: 1 / -1; color: var(--error); font-size: 14px; }
    .files li.has-error { background: var(--error-bg); }
    .files-head { display: flex; justify-content: space-between; padding: 3px 12px; background: var(--head); font-size: 14px; color: var(--muted); position: sticky; top: 0; }
    .link-button { font: inherit; font-size: 14px; border: 0; background: none; color: var(--brand); cursor: pointer; padding: 0; text-decoration: underline; }

    .actions { display: flex; gap: 12px; margin-top: 12px; align-items: center; }
    button.primary, button.secondary, a.button {
      font: inherit; padding: 7px 22px; border-radius: 4px; cursor: pointer; text-decoration: none; display: inline-block;
    }
    button.primary { background: var(--brand); color: #fff; border: 1px solid var(--brand); }
    button.primary:hover { background: var(--brand-dark); }
    button.primary:disabled { background: #8fa3bd; border-color: #8fa3bd; cursor: wait; }
    button.secondary { background: #fff; color: var(--brand); border: 1px solid var(--line-strong); }
    a.button { background: var(--ok); color: #fff; border: 1px solid var(--ok); }
    a.button:hover { background: #17522c; }

    .progress { display: flex; align-items: center; gap: 12px; margin-top: 14px; }
    .progress progress { width: 320px; height: 14px; }
    .form-error { color: var(--error); background: var(--error-bg); border-left: 4px solid var(--error); padding: 8px 12px; margin: 14px 0 0; white-space: pre-line; }

    /* Results */
    .result { margin-top: 24px; border-top: 2px solid var(--line); padding-top: 4px; }
    .result:focus:not(:focus-visible) { outline: none; }
    .summary { font-size: 16px; margin: 12px 0; }
    .summary.is-error { color: var(--error); }
    .downloads { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 4px; }
    .counts { display: flex; flex-wrap: wrap; gap: 8px 24px; margin: 8px 0; padding: 0; list-style: none; }
    .counts li { background: var(--head); border-radius: 4px; padding: 4px 12px; }
    .counts b { font-variant-numeric: tabular-nums; }

    .table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 4px; }
    table.grid { border-collapse: collapse; width: 100%; background: #fff; }
    table.grid th, table.grid td { border: 1px solid var(--line); padding: 6px 10px; text-align: left; vertical-align: top; }
    table.grid thead th { background: var(--head); font-weight: bold; white-space: nowrap; }
    table.grid tbody tr:nth-child(even) { background: #f9fafc; }
    table.grid td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    table.grid td.nowrap { white-space: nowrap; }
    table.grid td.file { overflow-wrap: anywhere; min-width: 12em; }
    table.grid .sub { display: block; color: var(--muted); font-size: 13px; }
    .table-wrap table.grid { border-style: hidden; }

    table.findings col.c-file { width: 16%; }
    table.findings col.c-sheet { width: 9%; }
    table.findings col.c-cell { width: 6%; }
    table.findings col.c-rule { width: 13%; }
    table.findings col.c-severity { width: 6%; }
    table.grid .rule-id { white-space: nowrap; }
    table.units col.c-unit { width: 10%; }
    table.units col.c-state { width: 9%; }
    table.units col.c-file { width: 30%; }
    .jump { margin-left: 16px; font-size: 15px; }

    .badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 13px; white-space: nowrap; }
    .badge.error { color: var(--error); background: var(--error-bg); }
    .badge.warning { color: var(--warning); background: var(--warning-bg); }
    .badge.info { color: var(--info); background: var(--info-bg); }
    .badge.ok { color: var(--ok); background: var(--ok-bg); }

    .filter { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; border: 0; padding: 0; margin: 8px 0 10px; }
    .filter legend { float: left; font-weight: bold; margin-right: 4px; padding: 0; }
    .filter label { cursor: pointer; display: inline-flex; align-items: center; gap: 6px; }
    .filter input { width: 16px; height: 16px; }
    .blank-form { margin-top: 24px; border-top: 1px solid #edf0f4; padding-top: 8px; }
    .blank-form .field { max-width: 240px; }

    .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
    fieldset.choices { border: 0; margin: 0; padding: 0; }
    .choice { display: flex; align-items: flex-start; gap: 6px; margin: 2px 0; cursor: pointer; }
    .choice input { margin-top: 5px; }
    .diff { margin: 6px 0 0; padding-left: 18px; color: var(--muted); font-size: 14px; }

    details.others { margin: 20px 0 0; }
    details.others summary { font-size: 16px; font-weight: bold; cursor: pointer; margin-bottom: 8px; }
    .messages { list-style: none; padding: 0; margin: 0; }
    .messages li { display: flex; gap: 10px; align-items: baseline; padding: 5px 0; border-bottom: 1px solid #edf0f4; }
    .messages li .badge { flex: none; }

    .behind { display: grid; grid-template-columns: repeat(auto-fill, minmax(360px, 1fr)); gap: 12px; }
    .behind section { border: 1px solid var(--line); border-radius: 4px; padding: 8px 12px; }
    .behind h4 { margin: 0 0 4px; font-size: 15px; }
    .behind .where { color: var(--muted); font-size: 13px; margin: 0 0 6px; }
    .behind ul { margin: 0; padding-left: 18px; columns: 2; column-gap: 16px; }
    .behind li { break-inside: avoid; }
    .behind .pct { font-variant-numeric: tabular-nums; color: var(--error); }

    /* Templates: the list above, the header below at full width (wide annexes have 24 columns). */
    .template-list { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 6px; margin-bottom: 16px; }
    .template-list button {
      text-align: left; font: inherit; font-size: 14px; line-height: 1.4; padding: 5px 10px; cursor: pointer;
      border: 1px solid var(--line); border-radius: 4px; background: #fff; color: var(--ink);
    }
    .template-list button:hover { border-color: var(--brand); }
    .template-list button[aria-pressed="true"] { background: var(--info-bg); border-color: var(--brand); box-shadow: inset 4px 0 0 var(--brand); font-weight: bold; }
    .template-list .sub { display: block; font-weight: normal; color: var(--muted); font-size: 12px; }
    .template-view h3 { margin-top: 0; }
    .template-meta { color: var(--muted); margin: 0 0 12px; }

    /* An annex header drawn as it is printed: title lines above, merged header cells below. */
    .layout-titles { margin-bottom: 6px; }
    .layout-titles .title-line { text-align: center; }
    .layout-titles .title-line:first-child { font-size: 17px; font-weight: bold; }
    .layout-titles .title-line.side { text-align: left; font-size: 14px; color: var(--muted); }
    table.layout { border-collapse: collapse; margin: 0 auto; background: #fff; }
    table.layout th, table.layout td {
      border: 1px solid #555; padding: 4px; font-size: 13px; line-height: 1.4; text-align: center; vertical-align: middle;
      min-width: calc(2em + 8px); text-wrap: balance;
    }
    table.layout th { background: #f4f6f9; font-weight: normal; }
    table.layout th.corner {
      min-width: 7em; padding: 2px 6px;
      background: linear-gradient(to top right, transparent calc(50% - 0.6px), #555 50%, transparent calc(50% + 0.6px)) #f4f6f9;
    }
    table.layout th.corner span { display: block; white-space: nowrap; }
    table.layout th.corner span:first-child { text-align: right; }
    table.layout th.corner span:last-child { text-align: left; }
    .layout-wrap { overflow-x: auto; padding: 4px 0 8px; }

    /* The token dialog */
    dialog.login { border: 1px solid var(--line); border-radius: 8px; padding: 20px 24px; width: 420px; box-shadow: 0 10px 30px rgba(0, 0, 0, 0.25); }
    dialog.login::backdrop { background: rgba(20, 30, 45, 0.45); }
    dialog.login input { width: 100%; }
    """#
}
