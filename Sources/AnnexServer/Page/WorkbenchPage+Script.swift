extension WorkbenchPage {
    // Plain modern JavaScript, no framework. The DOM is built with createElement/textContent only:
    // file names and messages come from uploads and are never parsed as HTML.
    static let script: String = #"""
    "use strict";

    const SEVERITIES = [
      { id: "error", label: "错误" },
      { id: "warning", label: "警告" },
      { id: "info", label: "提示" },
    ];
    const SEVERITY_LABEL = Object.fromEntries(SEVERITIES.map((s) => [s.id, s.label]));

    // Rule ids stay English in the data (SPEC.md); the clerk reads the Chinese name.
    const RULE_LABEL = {
      "total-mismatch": "合计不符",
      "ratio-mismatch": "比率不符",
      "decimals": "小数位数",
      "row-sum-mismatch": "行内合计不符",
      "hierarchy-mismatch": "科目层级不符",
      "cross-table-mismatch": "表间数据不一致",
      "marker-conflict": "标记冲突",
      "not-a-number": "不是数字",
      "unknown-unit": "未知单位",
      "duplicate-unit": "单位重复",
      "missing-unit": "缺少单位",
      "header-mismatch": "表头不符",
      "behind-schedule": "进度滞后",
      "month-on-month-mismatch": "与上月不衔接",
      "target-changed": "目标任务变动",
      "notice-mismatch": "通报与附件不符",
      "notice-rounding": "通报尾差",
    };

    const JOB_LABEL = { merge: "合并", check: "校验", normalize: "汇总" };

    let templates = [];

    // ---- Small DOM helpers -------------------------------------------------------------------

    // el("td", { class: "num", colspan: 2 }, "text", childNode, [more, children])
    function el(tag, attributes, ...children) {
      const node = document.createElement(tag);
      for (const [name, value] of Object.entries(attributes || {})) {
        if (value === undefined || value === null || value === false) continue;
        if (name === "class") node.className = value;
        else node.setAttribute(name, value === true ? "" : String(value));
      }
      append(node, children);
      return node;
    }

    function append(node, children) {
      for (const child of children) {
        if (child === undefined || child === null || child === false) continue;
        if (Array.isArray(child)) append(node, child);
        else node.append(child instanceof Node ? child : String(child));
      }
    }

    function badge(severity) {
      return el("span", { class: "badge " + severity }, SEVERITY_LABEL[severity] || severity);
    }

    // Reports name files by the path the server saw; the clerk knows the file by its name.
    function baseName(path) {
      const text = String(path || "");
      return text.slice(Math.max(text.lastIndexOf("/"), text.lastIndexOf("\\")) + 1);
    }

    function formatSize(bytes) {
      if (bytes < 1024) return bytes + " B";
      if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(1) + " KB";
      return (bytes / 1024 / 1024).toFixed(1) + " MB";
    }

    function templateName(id) {
      const template = templates.find((t) => t.id === id);
      return template ? template.name : id;
    }

    // fileName: the name to save under; without it, the server's name for the file.
    function downloadLink(url, label, fileName) {
      return el("a", { class: "button", href: url, download: fileName || true, "data-download": true }, label);
    }

    // columns: optional class names of the <col>s, for widths set in the style sheet.
    function table(className, headers, rows, columns) {
      return el("div", { class: "table-wrap" },
        el("table", { class: "grid " + className },
          columns ? el("colgroup", {}, columns.map((c) => el("col", { class: "c-" + c }))) : null,
          el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col" }, h)))),
          el("tbody", {}, rows)));
    }

    // ---- Tabs ---------------------------------------------------------------------------------

    function setUpTabs() {
      const tabs = [...document.querySelectorAll('[role="tab"]')];
      const select = (tab) => {
        for (const other of tabs) {
          const selected = other === tab;
          other.setAttribute("aria-selected", String(selected));
          other.tabIndex = selected ? 0 : -1;
          document.getElementById(other.getAttribute("aria-controls")).hidden = !selected;
        }
      };
      tabs.forEach((tab, index) => {
        tab.addEventListener("click", () => select(tab));
        tab.addEventListener("keydown", (event) => {
          const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
          if (!step) return;
          const next = tabs[(index + step + tabs.length) % tabs.length];
          select(next);
          next.focus();
        });
      });
    }

    // ---- Access token -------------------------------------------------------------------------

    // Work waiting for the token: re-run once the login succeeded.
    let afterLogin = [];

    function askToken(retry) {
      if (retry) afterLogin.push(retry);
      const dialog = document.querySelector("[data-login]");
      if (!dialog.open) {
        dialog.showModal();
        dialog.querySelector('input[name="token"]').focus();
      }
    }

    function setUpLogin() {
      const dialog = document.querySelector("[data-login]");
      const form = dialog.querySelector("[data-login-form]");
      const error = dialog.querySelector("[data-login-error]");
      // Without a token no request works: Escape must not leave a page that only fails.
      dialog.addEventListener("cancel", (event) => event.preventDefault());
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        const input = form.elements.token;
        error.hidden = true;
        if (!input.value.trim()) {
          showText(error, "请输入访问口令。");
          return;
        }
        let response;
        try {
          response = await fetch("/api/login", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ token: input.value.trim() }),
          });
        } catch {
          showText(error, "无法连接到工作台服务，请确认服务仍在运行。");
          return;
        }
        if (!response.ok) {
          showText(error, response.status === 401 ? "访问口令不正确，请重新输入。" : await errorText(response));
          input.select();
          return;
        }
        input.value = "";
        dialog.close();
        const waiting = afterLogin;
        afterLogin = [];
        waiting.forEach((retry) => retry());
      });
    }

    function showText(node, text) {
      node.textContent = text;
      node.hidden = false;
    }

    async function errorText(response) {
      const body = await response.json().catch(() => null);
      if (body && body.error) return body.error;
      if (response.status === 413) return "上传的文件太大，请分批上传。";
      return "工作台服务出错（" + response.status + "），请稍后重试。";
    }

    // GET an API resource; a 401 asks for the token and tries again.
    async function getJSON(url) {
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (response.status === 401) {
        return new Promise((resolve, reject) => askToken(() => getJSON(url).then(resolve, reject)));
      }
      if (!response.ok) throw new Error(await errorText(response));
      return response.json();
    }

    // ---- Templates ----------------------------------------------------------------------------

    async function loadTemplates() {
      try {
        templates = await getJSON("/api/templates");
      } catch (error) {
        for (const select of document.querySelectorAll('select[name="template"]')) {
          select.replaceChildren(el("option", { value: "" }, "读取附件格式失败"));
        }
        showText(document.querySelector('form[data-job="merge"] [data-form-error]'), error.message);
        return;
      }
      fillTemplateSelects();
      fillTemplateList();
    }

    function fillTemplateSelects() {
      const groups = [
        { label: "月报（县区报表 → 全市附件）", test: (t) => t.period === "month" },
        { label: "年报与预算表", test: (t) => t.period !== "month" },
      ];
      for (const select of document.querySelectorAll('select[name="template"]')) {
        const first = select.required
          ? el("option", { value: "" }, "请选择附件格式")
          : el("option", { value: "" }, "自动识别");
        const optgroups = groups.map((group) =>
          el("optgroup", { label: group.label },
            templates.filter(group.test).map((t) => el("option", { value: t.id }, t.name))));
        select.replaceChildren(first, ...optgroups.filter((g) => g.children.length));
      }
    }

    function fillTemplateList() {
      const list = document.querySelector("[data-template-list]");
      // Monthly annexes first: they are the ones used every month.
      const monthlyFirst = [...templates].sort((a, b) => (a.period === "month" ? 0 : 1) - (b.period === "month" ? 0 : 1));
      const buttons = monthlyFirst.map((t) => {
        const button = el("button", { type: "button", "aria-pressed": "false", "data-template": t.id },
          t.name,
          el("span", { class: "sub" }, (t.period === "month" ? "月报" : "年报") +
            (t.kind === "form" ? " · 表单" : " · " + t.columns + " 列")));
        button.addEventListener("click", () => {
          for (const other of buttons) other.setAttribute("aria-pressed", String(other === button));
          showLayout(t);
        });
        return button;
      });
      list.replaceChildren(...buttons);
    }

    async function showLayout(template) {
      const view = document.querySelector("[data-template-view]");
      view.replaceChildren(el("p", { class: "muted" }, "正在读取表头…"));
      let layout;
      try {
        layout = await getJSON("/api/templates/" + encodeURIComponent(template.id) + "/layout");
      } catch (error) {
        view.replaceChildren(el("p", { class: "form-error" }, error.message));
        return;
      }
      const heading = [
        el("h3", {}, template.name),
        el("p", { class: "template-meta" }, template.id + " · " + (template.period === "month" ? "月报" : "年报") +
          (template.source ? " · 来源：" + template.source : "")),
      ];
      if (!layout.rows || !layout.columns) {
        // Forms (绩效目标表) are filled in per project or department: no fixed header to draw.
        view.replaceChildren(...heading, el("p", { class: "muted" }, "这是表单格式，每个项目或部门填一张，没有固定的表头可显示。"));
        return;
      }
      const { titles, table } = layoutTable(layout);
      view.replaceChildren(...heading,
        el("div", { class: "layout-titles" }, titles),
        el("div", { class: "layout-wrap" }, table),
        (layout.units || []).length ? blankForm(template, layout) : null);
    }

    // The blank return for districts to fill: a period, optionally some units, and a download link
    // to GET /api/templates/{id}/blank that follows the choices.
    function blankForm(template, layout) {
      const monthly = template.period === "month";
      const period = el("input", monthly
        ? { type: "month", name: "period", value: layout.period, required: true }
        : { type: "text", name: "period", value: layout.period, pattern: "[0-9]{4}", inputmode: "numeric", required: true });
      const units = layout.units.map((unit) =>
        el("label", {}, el("input", { type: "checkbox", name: "unit", value: unit }), unit));
      const link = downloadLink("#", "下载空白报表", "");
      const form = el("form", { class: "blank-form", "data-blank": template.id },
        el("h3", {}, "空白报表"),
        el("p", { class: "hint" }, "发给县区填写：数据栏只能填数字、“-”或“无”，表头受保护不能修改。不选单位时含全部单位。"),
        el("label", { class: "field" }, el("span", { class: "field-label" }, "统计期"), period),
        el("fieldset", { class: "filter" }, el("legend", {}, "单位（可不选）"), units),
        el("div", { class: "actions" }, link));
      const update = () => {
        const query = new URLSearchParams({ period: period.value });
        for (const box of form.querySelectorAll('input[name="unit"]:checked')) query.append("unit", box.value);
        link.href = "/api/templates/" + encodeURIComponent(template.id) + "/blank?" + query.toString();
        link.setAttribute("download", period.value + "-空白-" + template.name + ".xlsx");
      };
      form.addEventListener("input", update);
      form.addEventListener("submit", (event) => event.preventDefault());
      update();
      return form;
    }

    // "AB12" → { row: 11, column: 27 }, zero-based.
    function parseRef(ref) {
      const match = /^([A-Z]+)([0-9]+)$/.exec(ref);
      let column = 0;
      for (const letter of match[1]) column = column * 26 + (letter.charCodeAt(0) - 64);
      return { row: Number(match[2]) - 1, column: column - 1 };
    }

    // The header as the annex prints it: leading lines with a single text (title, period, units)
    // are drawn above the table, so a wide header scrolls without clipping the title; the rest is
    // drawn with its merges as rowspan/colspan.
    function layoutTable(layout) {
      const rows = layout.rows;
      const columns = layout.columns;
      const text = new Map();
      for (const cell of layout.cells || []) text.set(cell.ref, cell.value);
      const at = (row, column) => text.get(columnName(column) + (row + 1));

      const spans = new Map();
      const covered = new Set();
      for (const range of layout.merged || []) {
        const [from, to] = range.split(":").map(parseRef);
        spans.set(from.row + "," + from.column, { rows: to.row - from.row + 1, columns: to.column - from.column + 1 });
        for (let r = from.row; r <= to.row; r++) {
          for (let c = from.column; c <= to.column; c++) {
            if (r !== from.row || c !== from.column) covered.add(r + "," + c);
          }
        }
      }

      const isTitleLine = (row) => {
        let filled = 0;
        for (let c = 0; c < columns; c++) {
          if (at(row, c)) filled++;
          const span = spans.get(row + "," + c);
          if (span && (span.rows > 1 || span.columns < columns)) return false;
        }
        return filled <= 1;
      };
      let first = 0;
      const titles = [];
      while (first < rows && isTitleLine(first)) {
        let line = "";
        let side = false;
        for (let c = 0; c < columns; c++) {
          if (at(first, c)) {
            line = at(first, c);
            side = /^单位[:：]/.test(line);
          }
        }
        if (line) titles.push(el("div", { class: "title-line" + (side ? " side" : "") }, line));
        first++;
      }

      const head = el("thead", {});
      for (let r = first; r < rows; r++) {
        const tr = el("tr", {});
        for (let c = 0; c < columns; c++) {
          if (covered.has(r + "," + c)) continue;
          const span = spans.get(r + "," + c) || { rows: 1, columns: 1 };
          const value = at(r, c) || "";
          const th = el("th", {
            rowspan: span.rows > 1 ? span.rows : null,
            colspan: span.columns > 1 ? span.columns : null,
          });
          // The corner cell (项目 over 单位) is printed with a diagonal line.
          if (r === first && c === 0 && value.includes("\n")) {
            const [top, ...rest] = value.split("\n");
            th.className = "corner";
            th.append(el("span", {}, top.trim()), el("span", {}, rest.join(" ").trim()));
          } else {
            th.textContent = joinLines(value);
          }
          tr.append(th);
        }
        head.append(tr);
      }
      return { titles, table: el("table", { class: "layout" }, head) };
    }

    // Header text broken over lines for a narrow Excel column: join Chinese without a space.
    function joinLines(text) {
      return text.replace(/\s*\n\s*/g, (gap, at, whole) =>
        /[A-Za-z0-9]/.test(whole[at - 1] || "") && /[A-Za-z0-9]/.test(whole[at + gap.length] || "") ? " " : "");
    }

    function columnName(index) {
      let name = "";
      for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
        name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
      }
      return name;
    }

    // ---- File lists and drop zones ------------------------------------------------------------

    const chosen = new WeakMap(); // form → File[]

    function setUpFiles(form) {
      chosen.set(form, []);
      const input = form.querySelector('input[type="file"][name="files"]');
      const drop = form.querySelector("[data-drop]");
      input.addEventListener("change", () => {
        addFiles(form, input.files);
        input.value = ""; // so that choosing the same file again is noticed
      });
      drop.addEventListener("dragover", (event) => {
        event.preventDefault();
        drop.classList.add("is-over");
      });
      drop.addEventListener("dragleave", () => drop.classList.remove("is-over"));
      drop.addEventListener("drop", (event) => {
        event.preventDefault();
        drop.classList.remove("is-over");
        addFiles(form, event.dataTransfer.files);
      });
      form.querySelector("[data-clear]").addEventListener("click", () => {
        chosen.set(form, []);
        renderFiles(form);
      });
    }

    // Takes the files whose extension the input accepts; a dropped folder or a .doc is named and left out.
    function addFiles(form, fileList) {
      const files = chosen.get(form);
      const input = form.querySelector('input[type="file"][name="files"]');
      const accepted = input.accept.split(",").map((ext) => ext.trim().toLowerCase());
      const refused = [];
      for (const file of fileList) {
        if (!accepted.some((ext) => file.name.toLowerCase().endsWith(ext))) {
          refused.push(file.name);
          continue;
        }
        const same = files.findIndex((f) => f.name === file.name);
        if (same >= 0) files[same] = file; // a file chosen again replaces the earlier copy
        else files.push(file);
      }
      renderFiles(form);
      const error = form.querySelector("[data-form-error]");
      if (refused.length) {
        showText(error, "已略过 " + refused.join("、") + "：这里只接受 " + accepted.join("、") + " 文件。");
      } else {
        error.hidden = true;
      }
    }

    function renderFiles(form) {
      const files = chosen.get(form);
      const box = form.querySelector("[data-files]");
      form.querySelector("[data-clear]").hidden = files.length === 0;
      box.hidden = files.length === 0;
      const total = files.reduce((sum, f) => sum + f.size, 0);
      box.replaceChildren(
        el("div", { class: "files-head" },
          el("span", {}, "已选 " + files.length + " 个文件，共 " + formatSize(total))),
        el("ul", {}, files.map((file) => {
          const remove = el("button", { type: "button", class: "link-button", "aria-label": "移除 " + file.name }, "移除");
          remove.addEventListener("click", () => {
            chosen.set(form, chosen.get(form).filter((f) => f !== file));
            renderFiles(form);
          });
          return el("li", { "data-file": file.name },
            el("span", { class: "file-name" }, file.name),
            el("span", { class: "file-size" }, formatSize(file.size)),
            remove,
            el("span", { class: "file-error", hidden: true }));
        })));
    }

    // Shows an error beside the file it names, else at the form.
    function showError(form, message) {
      const items = [...form.querySelectorAll("[data-files] li")]
        .filter((li) => message.includes(li.getAttribute("data-file")));
      if (items.length === 0) {
        showText(form.querySelector("[data-form-error]"), message);
        return;
      }
      for (const li of items) markFile(li, message);
      showText(form.querySelector("[data-form-error]"), items.length === 1
        ? "文件“" + items[0].getAttribute("data-file") + "”不能使用，原因见文件列表。"
        : "有 " + items.length + " 个文件不能使用，原因见文件列表。");
    }

    function fileItem(form, name) {
      return [...form.querySelectorAll("[data-files] li")].find((li) => li.getAttribute("data-file") === name);
    }

    function markFile(li, message) {
      li.classList.add("has-error");
      showText(li.querySelector(".file-error"), message);
    }

    function clearErrors(form) {
      form.querySelector("[data-form-error]").hidden = true;
      for (const li of form.querySelectorAll("[data-files] li")) {
        li.classList.remove("has-error");
        li.querySelector(".file-error").hidden = true;
      }
    }

    // ---- Running a job ------------------------------------------------------------------------

    function setUpJob(form) {
      setUpFiles(form);
      form.addEventListener("submit", (event) => {
        event.preventDefault();
        runJob(form);
      });
    }

    async function runJob(form) {
      const job = form.dataset.job;
      const files = chosen.get(form);
      clearErrors(form);
      if (files.length === 0) {
        showText(form.querySelector("[data-form-error]"), "请先选择或拖入要" + JOB_LABEL[job] + "的文件。");
        return;
      }
      const template = form.elements.template;
      if (template && template.required && !template.value) {
        showText(form.querySelector("[data-form-error]"), "请选择附件格式。");
        template.focus();
        return;
      }
      const period = form.elements.period;
      if (period && period.value && !/^[0-9]{4}-[0-9]{2}$/.test(period.value)) {
        showText(form.querySelector("[data-form-error]"), "月份的写法是 年-月，例如 2023-07。");
        period.focus();
        return;
      }

      const body = new FormData();
      for (const file of files) body.append("files", file, file.name);
      if (template && template.value) body.append("template", template.value);
      if (period && period.value) body.append("period", period.value);
      // The conflict choices of the previous run: the file that wins for each unit.
      for (const radio of form.querySelectorAll('[data-result] input[type="radio"][data-prefer]:checked')) {
        body.append("prefer", radio.value);
      }
      const previous = form.querySelector("[data-result]");
      if (previous) previous.remove();

      const submit = form.querySelector('button[type="submit"]');
      submit.disabled = true;
      showProgress(form, { upload: files.length });
      let outcome;
      try {
        const response = await fetch("/api/" + job, {
          method: "POST",
          body,
          headers: { Accept: "application/x-ndjson" },
        });
        outcome = await readOutcome(response, (event) => showProgress(form, event));
      } catch {
        outcome = { error: "无法连接到工作台服务，请确认服务仍在运行后重试。" };
      } finally {
        submit.disabled = false;
        form.querySelector("[data-progress]").hidden = true;
      }

      if (outcome.status === 401) {
        askToken(() => runJob(form));
        return;
      }
      if (outcome.error) {
        showError(form, outcome.error);
        return;
      }
      const result = resultBox(form);
      if (job === "merge") renderMerge(form, result, outcome.result);
      else if (job === "check") renderCheck(form, result, outcome.result);
      else renderNormalize(form, result, outcome.result);
      result.focus({ preventScroll: true }); // screen readers go to the result
      result.scrollIntoView({ block: "start", behavior: "smooth" });
    }

    // The answer of a job: streamed NDJSON events (queued, progress, then result or error), or a
    // plain JSON answer when the server did not stream (errors before the job started).
    async function readOutcome(response, onEvent) {
      const type = response.headers.get("Content-Type") || "";
      if (!type.includes("ndjson")) {
        if (response.ok) return { result: await response.json() };
        return { error: await errorText(response), status: response.status };
      }
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let buffered = "";
      for (;;) {
        const { value, done } = await reader.read();
        buffered += decoder.decode(value || new Uint8Array(), { stream: !done });
        const lines = buffered.split("\n");
        buffered = done ? "" : lines.pop();
        for (const line of lines) {
          if (!line.trim()) continue;
          const event = JSON.parse(line);
          if ("result" in event) return { result: event.result };
          if ("error" in event) return { error: event.error, status: event.status || 400 };
          onEvent(event);
        }
        if (done) return { error: "处理中断，没有得到结果，请重试。" };
      }
    }

    function showProgress(form, event) {
      const box = form.querySelector("[data-progress]");
      const bar = box.querySelector("progress");
      const label = box.querySelector("[data-progress-text]");
      box.hidden = false;
      if (event.upload !== undefined) {
        bar.removeAttribute("value"); // indeterminate while uploading
        label.textContent = "正在上传 " + event.upload + " 个文件…";
      } else if (event.queued !== undefined) {
        bar.removeAttribute("value");
        label.textContent = event.queued > 0 ? "排队中，前面还有 " + event.queued + " 个任务" : "即将开始…";
      } else if (event.progress) {
        const { done, total } = event.progress;
        bar.max = Math.max(total, 1);
        bar.value = done;
        label.textContent = "已处理 " + done + " / " + total + " 个文件";
      }
    }

    // The [data-result] box, at the end of the form.
    function resultBox(form) {
      const box = el("div", { class: "result", "data-result": true, tabindex: "-1" });
      form.append(box);
      return box;
    }

    // ---- Findings -----------------------------------------------------------------------------

    // The findings table with its severity filter; behind-schedule lists grouped by indicator.
    function findingsView(findings, options) {
      const counts = Object.fromEntries(SEVERITIES.map((s) => [s.id, 0]));
      for (const f of findings) counts[f.severity] = (counts[f.severity] || 0) + 1;
      if (findings.length === 0) {
        return [el("p", { class: "summary" }, el("span", { class: "badge ok" }, "通过"), " ", options.empty)];
      }

      // Errors first, then warnings, then notes; within one severity in the order found.
      const order = (f) => SEVERITIES.findIndex((s) => s.id === f.severity);
      const sorted = findings.map((f, i) => [f, i]).sort(([a, i], [b, j]) => order(a) - order(b) || i - j).map(([f]) => f);
      const rows = sorted.map((f) => {
        const rule = RULE_LABEL[f.rule];
        return el("tr", { "data-rule": f.rule, "data-severity": f.severity },
          el("td", { class: "file" }, baseName(f.file)),
          el("td", {}, f.sheet || ""),
          el("td", { class: "nowrap" }, f.cell || "—"),
          el("td", {}, rule || f.rule, rule ? el("span", { class: "sub rule-id" }, f.rule) : null),
          el("td", { class: "nowrap" }, badge(f.severity)),
          el("td", {}, f.message));
      });

      const boxes = SEVERITIES.map((s) => {
        const box = el("input", { type: "checkbox", value: s.id, checked: true, "data-severity-filter": s.id });
        box.addEventListener("change", () => {
          for (const row of rows) {
            if (row.getAttribute("data-severity") === s.id) row.hidden = !box.checked;
          }
        });
        return el("label", {}, box, badge(s.id), "（" + counts[s.id] + "）");
      });

      const findingsTable = table("findings", ["文件", "工作表", "单元格", "规则", "级别", "说明"], rows,
        ["file", "sheet", "cell", "rule", "severity", "message"]);

      const behind = behindSchedule(findings);
      return [
        el("p", { class: "summary" + (counts.error ? " is-error" : "") },
          "共 " + findings.length + " 条：错误 " + counts.error + " 条，警告 " + counts.warning + " 条，提示 " + counts.info + " 条。",
          behind ? el("a", { class: "jump", href: "#" + behind.id }, "查看进度滞后的单位") : null),
        el("fieldset", { class: "filter" }, el("legend", {}, "显示："), boxes),
        findingsTable,
        behind,
      ];
    }

    let behindLists = 0; // ids of the lists, for the link above each findings table

    // The notice's 存在的问题 lists: per file and indicator, the units below the time schedule.
    function behindSchedule(findings) {
      const groups = new Map();
      for (const f of findings) {
        if (f.rule !== "behind-schedule") continue;
        const key = f.file + "\u0000" + f.sheet + "\u0000" + f.indicator;
        if (!groups.has(key)) groups.set(key, { file: f.file, sheet: f.sheet, indicator: f.indicator, schedule: f.expected, units: [] });
        groups.get(key).units.push(f);
      }
      if (groups.size === 0) return null;
      behindLists += 1;
      return el("div", { id: "behind-schedule-" + behindLists },
        el("h3", {}, "未按时序进度完成的单位（按指标）"),
        el("div", { class: "behind" }, [...groups.values()].map((g) =>
          el("section", {},
            el("h4", {}, g.indicator || "（未注明指标）"),
            el("p", { class: "where" }, baseName(g.file) + " · " + g.sheet + " · 时序进度 " + g.schedule + "%"),
            el("ul", {}, g.units.map((f) =>
              el("li", {}, f.unit + " ", el("span", { class: "pct" }, f.actual + "%"))))))));
    }

    // ---- Check --------------------------------------------------------------------------------

    function renderCheck(form, box, result) {
      const errors = result.errors || [];
      for (const e of errors) {
        const li = fileItem(form, baseName(e.file));
        if (li) markFile(li, e.error);
      }
      append(box, [
        el("h3", {}, "校验结果"),
        result.annotated
          ? el("div", { class: "downloads" }, downloadLink(result.annotated, "下载标注后的文件（zip）"))
          : null,
        errors.length
          ? el("div", {},
              el("h3", {}, "无法读取的文件（" + errors.length + " 个）"),
              table("errors", ["文件", "原因"], errors.map((e) =>
                el("tr", {}, el("td", { class: "file" }, baseName(e.file)), el("td", {}, e.error)))))
          : null,
        errors.length >= chosen.get(form).length
          ? null
          : findingsView(result.findings || [], { empty: errors.length ? "其余文件没有发现问题。" : "没有发现问题。" }),
      ]);
    }

    // ---- Merge --------------------------------------------------------------------------------

    // Returns that gave the annex no row (the others are in the units table).
    const RETURN_STATUS = {
      "no-data": { label: "没有数据", severity: "warning" },
      "other-period": { label: "其他月份", severity: "warning" },
      "other-layout": { label: "其他格式", severity: "info" },
      unreadable: { label: "无法读取", severity: "error" },
    };

    function renderMerge(form, box, result) {
      const report = result.report || {};
      const returns = report.returns || [];
      const problems = report.problems || [];
      const conflicts = problems.filter((p) => p.kind === "conflicting-returns");
      const missing = report.missing || [];
      const ofLayout = returns.filter((r) => !["other-layout", "unreadable"].includes(r.status));
      const name = templateName(report.template);
      const shown = new Set(); // problems the units table shows beside their unit
      // A return that could not be read, or is of another month, is marked in the file list too.
      for (const problem of problems) {
        if (!["unreadable-return", "other-period", "unknown-unit"].includes(problem.kind)) continue;
        for (const file of problem.files || []) {
          const li = fileItem(form, baseName(fileOfLabel(file)));
          if (li) markFile(li, problem.message);
        }
      }

      const summary = name + (report.period ? "（" + report.period + "）" : "") + "：收到 " + returns.length +
        " 个文件，其中本格式报表 " + ofLayout.length + " 份" +
        (missing.length ? "，缺报 " + missing.length + " 个单位（" + missing.join("、") + "）"
          : result.annex ? "，各单位都已报送" : "") +
        (conflicts.length ? "，" + conflicts.length + " 个单位的报表互相矛盾" : "") + "。";

      append(box, [
        el("h3", {}, "合并结果"),
        el("p", { class: "summary" + (missing.length || conflicts.length || !result.annex ? " is-error" : "") }, summary),
        result.annex
          ? el("div", { class: "downloads" },
              downloadLink(result.annex, "下载全市附件（" + name + "）", name + (report.period ? "-" + report.period : "") + ".xlsx"))
          : el("p", { class: "form-error" }, conflicts.length
              ? "未生成附件：请先处理下面标为“互相矛盾”的单位，选定采用的报表后重新合并。"
              : "未生成附件：这些文件中没有" + name + "的数据，原因见下方。"),
        unitsTable(returns, problems, missing, conflicts, shown),
        conflicts.length
          ? el("div", { class: "actions" }, rerunButton(form))
          : null,
        otherFiles(returns, problems),
        mergeMessages(problems, returns, shown),
        result.annex
          ? el("div", {},
              el("h3", {}, "合并后附件的校验"),
              findingsView(result.findings || [], { empty: "合并后的附件没有发现问题。" }))
          : null,
      ]);
    }

    function rerunButton(form) {
      const button = el("button", { type: "button", class: "primary" }, "按所选报表重新合并");
      button.addEventListener("click", () => form.requestSubmit());
      return button;
    }

    // One row per unit: conflicts and missing units first, so what needs doing is on top.
    function unitsTable(returns, problems, missing, conflicts, shown) {
      // A unit's row that only held “-” or “无” where another return has its figures was not used.
      const ignored = new Set(problems.filter((p) => p.kind === "ignored-marker-row")
        .flatMap((p) => names(p.files).map((file) => p.unit + "\u0000" + file)));
      const units = new Map();
      for (const r of returns) {
        if (!["used", "duplicate", "conflict"].includes(r.status)) continue;
        for (const unit of r.units || []) {
          if (ignored.has(unit + "\u0000" + baseName(r.file))) continue;
          if (!units.has(unit)) units.set(unit, []);
          units.get(unit).push(r);
        }
      }
      const rows = [];
      for (const problem of conflicts) {
        rows.push(conflictRow(problem));
        units.delete(problem.unit);
      }
      for (const unit of missing) {
        rows.push(el("tr", { "data-unit": unit },
          el("td", { class: "nowrap" }, unit),
          el("td", { class: "nowrap" }, el("span", { class: "badge error" }, "缺报")),
          el("td", {}, "—"),
          el("td", {}, "没有收到这个单位的报表：附件中这一行为空，全市合计不含该单位。请催报后重新合并。")));
      }
      for (const [unit, files] of units) {
        const used = files.filter((r) => r.status === "used");
        const duplicates = files.filter((r) => r.status === "duplicate");
        const notes = [];
        if (duplicates.length) notes.push("另有 " + duplicates.map((r) => baseName(r.file)).join("、") + " 重复报送，已合并一次。");
        // The merge's notes about this unit (a former name, identical copies, a row of markers).
        for (const p of problems) {
          if (p.unit !== unit || !["alias", "identical-returns", "ignored-marker-row"].includes(p.kind)) continue;
          shown.add(p);
          if (p.kind !== "identical-returns" || !duplicates.length) notes.push(p.message);
        }
        rows.push(el("tr", { "data-unit": unit },
          el("td", { class: "nowrap" }, unit),
          el("td", { class: "nowrap" }, el("span", { class: "badge ok" }, "已收到")),
          el("td", { class: "file" }, used.map((r) => el("div", {}, baseName(r.file)))),
          el("td", {}, notes.map((note) => el("div", {}, note)))));
      }
      if (rows.length === 0) return null;
      return el("div", {},
        el("h3", {}, "各单位报表"),
        table("units", ["单位", "情况", "采用的报表", "说明"], rows, ["unit", "state", "file", "note"]));
    }

    // Two returns of one unit differ: the clerk picks the one that wins; the next run sends it as `prefer`.
    function conflictRow(problem) {
      const group = "prefer-" + problem.unit;
      const choices = (problem.files || []).map((label) => {
        const file = baseName(fileOfLabel(label));
        const radio = el("input", { type: "radio", name: group, value: file, "data-prefer": true });
        return el("label", { class: "choice" }, radio, el("span", {}, "采用 " + file));
      });
      const differences = (problem.differences || []).map((d) =>
        el("li", {}, [d.indicator, d.measure].filter(Boolean).join(" ") + "：" +
          (d.values || []).map((v) => v.value + "（" + baseName(v.file) + " " + v.cell + "）").join(" ≠ ")));
      return el("tr", { "data-unit": problem.unit, class: "conflict" },
        el("td", { class: "nowrap" }, problem.unit),
        el("td", { class: "nowrap" }, el("span", { class: "badge error" }, "互相矛盾")),
        el("td", { class: "file" }, el("fieldset", { class: "choices" },
          el("legend", { class: "sr-only" }, problem.unit + " 采用哪一份报表"), choices)),
        el("td", {}, "两份报表的数据不同，请核实后选定采用的一份，再点“按所选报表重新合并”。",
          differences.length ? el("ul", { class: "diff" }, differences) : null));
    }

    // Merge problems name a return as `file` or `file（工作表“name”）`.
    function fileOfLabel(label) {
      return String(label).replace(/（工作表“.*”）$/, "");
    }

    function names(labels) {
      return (labels || []).map((label) => baseName(fileOfLabel(label)));
    }

    // Files that gave no unit row: another layout or period, unreadable, empty.
    function otherFiles(returns, problems) {
      const others = returns.filter((r) => !["used", "duplicate", "conflict"].includes(r.status));
      if (others.length === 0) return null;
      const rows = others.map((r) => {
        const status = RETURN_STATUS[r.status] || { label: r.status, severity: "info" };
        let note = "";
        if (r.status === "other-layout") note = "这是" + (r.template ? templateName(r.template) : "其他") + "的报表，未合并。";
        else if (r.status === "other-period") note = "报表月份是 " + (r.period || "其他月份") + "，未合并。";
        const problem = problems.find((p) => p.kind !== "other-layout" && names(p.files).includes(baseName(r.file)));
        if (problem) note = problem.message;
        return el("tr", {},
          el("td", { class: "file" }, baseName(r.file), r.sheet ? el("span", { class: "sub" }, "工作表 " + r.sheet) : null),
          el("td", { class: "nowrap" }, el("span", { class: "badge " + status.severity }, status.label)),
          el("td", {}, note));
      });
      // Returns of another annex are normal in a month's folder: folded unless something else is wrong.
      const attention = others.some((r) => r.status !== "other-layout");
      return el("details", { class: "others", open: attention },
        el("summary", {}, "未合并的文件（" + others.length + " 个）"),
        table("others", ["文件", "情况", "说明"], rows));
    }

    // The remaining notes of the merge (aliases, identical returns, totals left blank …).
    function mergeMessages(problems, returns, shown) {
      const listed = new Set(returns.map((r) => baseName(r.file)));
      // Conflicts, missing units and files that gave no row are shown with their unit or file above.
      const shownAbove = (p) => ["conflicting-returns", "other-layout"].includes(p.kind) ||
        (p.kind === "missing-return" && p.unit) ||
        (["other-period", "unreadable-return"].includes(p.kind) && names(p.files).length > 0 &&
          names(p.files).every((n) => listed.has(n)));
      const rest = problems.filter((p) => !shown.has(p) && !shownAbove(p));
      if (rest.length === 0) return null;
      return el("div", {},
        el("h3", {}, "合并说明"),
        el("ul", { class: "messages" }, rest.map((p) => el("li", {}, badge(p.severity), el("span", {}, p.message)))));
    }

    // ---- Normalize ----------------------------------------------------------------------------

    function renderNormalize(form, box, result) {
      const report = result.report || {};
      const failures = (report.failures || []).map(problemEntry);
      const skipped = (report.skipped || []).map(problemEntry);
      for (const failure of failures) {
        const li = fileItem(form, failure.file); // a member of an uploaded .zip has no line of its own
        if (li) markFile(li, failure.why);
      }
      const counts = [
        ["文件", report.files],
        ["已读取", report.files_read],
        ["读取失败", report.files_failed],
        ["工作表", report.sheets_read],
        ["观测值", report.observations],
      ].filter(([, value]) => value !== undefined);
      const perTemplate = Object.entries(report.templates || {});

      append(box, [
        el("h3", {}, "汇总结果"),
        el("div", { class: "downloads" },
          result.dataset ? downloadLink(result.dataset, "下载标准数据（CSV）") : null,
          result.reportFile ? downloadLink(result.reportFile, "下载汇总报告（JSON）") : null),
        el("ul", { class: "counts" }, counts.map(([label, value]) => el("li", {}, label + " ", el("b", {}, String(value))))),
        perTemplate.length
          ? el("div", {},
              el("h3", {}, "各附件格式的工作表数"),
              table("per-template", ["附件格式", "标识", "工作表数"], perTemplate.map(([id, n]) =>
                el("tr", {}, el("td", {}, templateName(id)), el("td", {}, el("code", {}, id)), el("td", { class: "num" }, String(n))))))
          : null,
        problemFiles("读取失败的文件", failures),
        problemFiles("跳过的文件", skipped),
      ]);
    }

    // A failures/skipped entry of the normalize report: a path, or {file, sheet, reason}.
    function problemEntry(entry) {
      if (typeof entry === "string") return { file: baseName(entry), sheet: "", why: "" };
      return { file: baseName(entry.file || ""), sheet: entry.sheet || "", why: entry.reason || entry.error || "" };
    }

    function problemFiles(title, entries) {
      if (entries.length === 0) return null;
      return el("div", {},
        el("h3", {}, title + "（" + entries.length + " 个）"),
        table("problems", ["文件", "工作表", "原因"], entries.map((entry) =>
          el("tr", {}, el("td", { class: "file" }, entry.file), el("td", {}, entry.sheet), el("td", {}, entry.why)))));
    }

    // ---- Start --------------------------------------------------------------------------------

    async function start() {
      setUpTabs();
      setUpLogin();
      for (const form of document.querySelectorAll("form[data-job]")) setUpJob(form);
      try {
        const session = await getJSON("/api/session");
        if (session.tokenRequired && !session.authenticated) {
          askToken(loadTemplates);
          return;
        }
      } catch (error) {
        showText(document.querySelector('form[data-job="merge"] [data-form-error]'),
          "无法连接到工作台服务：" + error.message);
        return;
      }
      loadTemplates();
    }

    start();
    """#
}
