// The workbench page, compiled into the binary so `annex serve` works offline: no external
// scripts, fonts or styles. The server answers `html` at `/`, `css` at `/workbench.css` and
// `script` at `/workbench.js` under a strict CSP, so the page has no inline script, no inline
// event handler and no `style=` attribute. The style and the script are in
// WorkbenchPage+Style.swift and WorkbenchPage+Script.swift.
//
// Stable hooks for tests (SPEC.md): `form[data-job=check|merge|normalize]`, each with
// `input[type=file][name=files]` (and `select[name=template]` for merge); results in
// `[data-result]`; findings as `tr[data-rule][data-severity]`; downloads as `a[data-download]`.
enum WorkbenchPage {
    static let html: String = #"""
    <!doctype html>
    <html lang="zh-CN">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>附件工作台</title>
    <link rel="icon" href="data:,"><!-- an empty icon: no request for /favicon.ico -->
    <link rel="stylesheet" href="/workbench.css">
    <script src="/workbench.js" defer></script>
    </head>
    <body>
    <header class="masthead">
      <div class="masthead-inner">
        <h1>附件工作台</h1>
        <p>合并各县区报表 · 校验附件 · 汇总数据 · 查看附件格式</p>
      </div>
    </header>

    <nav class="tabs" role="tablist" aria-label="功能">
      <button type="button" role="tab" id="tab-merge" aria-controls="panel-merge" aria-selected="true">合并</button>
      <button type="button" role="tab" id="tab-check" aria-controls="panel-check" aria-selected="false" tabindex="-1">校验</button>
      <button type="button" role="tab" id="tab-normalize" aria-controls="panel-normalize" aria-selected="false" tabindex="-1">汇总</button>
      <button type="button" role="tab" id="tab-templates" aria-controls="panel-templates" aria-selected="false" tabindex="-1">模板</button>
    </nav>

    <main>
    <section id="panel-merge" class="panel" role="tabpanel" aria-labelledby="tab-merge">
      <h2>合并县区报表</h2>
      <p class="hint">选择附件格式，把本月各县区报来的报表拖进来，生成全市附件。合计和占全年任务自动计算，缺报、重复和互相矛盾的报表逐一列出。</p>
      <form data-job="merge" novalidate>
        <div class="fields">
          <label class="field">
            <span class="field-label">附件格式</span>
            <select name="template" required>
              <option value="">正在读取附件格式…</option>
            </select>
          </label>
          <label class="field">
            <span class="field-label">月份（可不填，按报表标题）</span>
            <input type="month" name="period" placeholder="2023-07" pattern="[0-9]{4}-[0-9]{2}">
          </label>
        </div>
        <div class="drop" data-drop>
          <input type="file" name="files" id="merge-files" multiple accept=".xlsx,.xlsm,.xls,.csv">
          <label for="merge-files">
            <strong>把本月的报表拖到这里</strong>，或<span class="link">点击选择文件</span>
            <small>可多选：.xlsx、.xls、.csv</small>
          </label>
        </div>
        <div class="files" data-files hidden></div>
        <div class="actions">
          <button type="submit" class="primary">开始合并</button>
          <button type="button" class="secondary" data-clear hidden>清空文件</button>
        </div>
        <div class="progress" data-progress role="status" aria-live="polite" hidden>
          <progress max="1" value="0"></progress>
          <span data-progress-text></span>
        </div>
        <p class="form-error" data-form-error role="alert" hidden></p>
      </form>
    </section>

    <section id="panel-check" class="panel" role="tabpanel" aria-labelledby="tab-check" hidden>
      <h2>校验附件</h2>
      <p class="hint">按表下注释和表内关系逐项校验：合计、比率、小数位数、单位名称、时序进度等；几份附件一起校验时还核对表间数据。</p>
      <form data-job="check" novalidate>
        <div class="fields">
          <label class="field">
            <span class="field-label">附件格式</span>
            <select name="template">
              <option value="">自动识别</option>
            </select>
          </label>
        </div>
        <div class="drop" data-drop>
          <input type="file" name="files" id="check-files" multiple accept=".xlsx,.xlsm,.xls,.csv">
          <label for="check-files">
            <strong>把要校验的附件拖到这里</strong>，或<span class="link">点击选择文件</span>
            <small>可多选：.xlsx、.xls、.csv</small>
          </label>
        </div>
        <div class="files" data-files hidden></div>
        <div class="actions">
          <button type="submit" class="primary">开始校验</button>
          <button type="button" class="secondary" data-clear hidden>清空文件</button>
        </div>
        <div class="progress" data-progress role="status" aria-live="polite" hidden>
          <progress max="1" value="0"></progress>
          <span data-progress-text></span>
        </div>
        <p class="form-error" data-form-error role="alert" hidden></p>
      </form>
    </section>

    <section id="panel-normalize" class="panel" role="tabpanel" aria-labelledby="tab-normalize" hidden>
      <h2>汇总成数据集</h2>
      <p class="hint">把许多报表（或一个文件夹压缩成的 .zip）汇总成一份标准数据（CSV），逐个识别附件格式；读不了的文件单独列出，不影响其他文件。</p>
      <form data-job="normalize" novalidate>
        <div class="drop" data-drop>
          <input type="file" name="files" id="normalize-files" multiple accept=".xlsx,.xlsm,.xls,.csv,.zip">
          <label for="normalize-files">
            <strong>把报表或 .zip 压缩包拖到这里</strong>，或<span class="link">点击选择文件</span>
            <small>可多选：.xlsx、.xls、.csv、.zip</small>
          </label>
        </div>
        <div class="files" data-files hidden></div>
        <div class="actions">
          <button type="submit" class="primary">开始汇总</button>
          <button type="button" class="secondary" data-clear hidden>清空文件</button>
        </div>
        <div class="progress" data-progress role="status" aria-live="polite" hidden>
          <progress max="1" value="0"></progress>
          <span data-progress-text></span>
        </div>
        <p class="form-error" data-form-error role="alert" hidden></p>
      </form>
    </section>

    <section id="panel-templates" class="panel" role="tabpanel" aria-labelledby="tab-templates" hidden>
      <h2>附件格式</h2>
      <p class="hint">工作台认识的附件格式。选中一种，下方显示它的表头。</p>
      <div class="template-list" data-template-list role="group" aria-label="附件格式列表"></div>
      <div class="template-view" data-template-view aria-live="polite">
        <p class="muted">请在上方选择一种附件格式。</p>
      </div>
    </section>
    </main>

    <dialog class="login" data-login aria-labelledby="login-title">
      <form data-login-form novalidate>
        <h2 id="login-title">请输入访问口令</h2>
        <p class="hint">这台工作台设置了访问口令，请向管理员索取。输入一次后，本次使用中不必再输入。</p>
        <label class="field">
          <span class="field-label">访问口令</span>
          <input type="password" name="token" autocomplete="current-password" required>
        </label>
        <p class="form-error" data-login-error role="alert" hidden></p>
        <div class="actions">
          <button type="submit" class="primary">确定</button>
        </div>
      </form>
    </dialog>
    </body>
    </html>
    """#
}
