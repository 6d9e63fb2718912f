// SQL console: read-only SQL over the catalog's tables, Ctrl+Enter to run, paged results, CSV
// download of the whole result (up to 100,000 rows), errors shown at their position, and a
// query history kept in this browser (localStorage).
'use strict';
(function () {
  const { h, api } = SL;
  const PAGE = 100;
  const CSV_MAX_ROWS = 100000;
  const HISTORY_KEY = 'saleslake.sql.history';

  function history() {
    try { return JSON.parse(localStorage.getItem(HISTORY_KEY) || '[]'); } catch (e) { return []; }
  }
  function remember(sql) {
    const list = [sql, ...history().filter((q) => q !== sql)].slice(0, 50);
    localStorage.setItem(HISTORY_KEY, JSON.stringify(list));
  }
  const cellText = (v) => (v === null ? 'NULL' : typeof v === 'object' ? JSON.stringify(v) : String(v));

  SL.pages.sql = async function sql(main) {
    SL.disposeCharts();
    const side = h('aside', { class: 'sql-side', 'aria-label': 'Tables and columns' }, h('p', { class: 'hint' }, 'Loading tables…'));
    const editor = h('textarea', { class: 'editor', id: 'sql-editor', spellcheck: 'false', 'aria-label': 'SQL query',
      'aria-describedby': 'sql-help' });
    editor.value = history()[0] || 'SELECT brand, COUNT(*) AS orders, SUM(total) AS sales\nFROM sales\nGROUP BY brand\nORDER BY sales DESC';
    const run = h('button', { type: 'button', id: 'sql-run' }, 'Run');
    const csvBtn = h('button', { type: 'button', class: 'secondary', id: 'sql-csv', disabled: true }, 'Download CSV');
    const prev = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Previous');
    const next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next');
    const info = h('span', { class: 'hint', role: 'status', 'aria-live': 'polite', id: 'sql-info' });
    const out = h('div', { id: 'sql-result' });
    const histList = h('ul', { class: 'history', 'aria-label': 'Query history' });
    const canRun = SL.roleAtLeast('viewer');
    const masked = !SL.roleAtLeast('analyst');
    main.replaceChildren(h('h1', {}, 'SQL console'),
      h('div', { class: 'sql-layout' }, side,
        h('div', {},
          masked ? h('p', { class: 'notice', id: 'sql-masked' }, 'Customer names and e-mails are masked (a***@example.in) below the analyst role.') : null,
          editor,
          h('p', { class: 'hint', id: 'sql-help' }, 'Ctrl+Enter runs the query. Read-only: SELECT and WITH over the lake\'s tables.'),
          h('div', { class: 'toolbar' }, run, csvBtn, prev, next, info),
          out,
          h('details', {}, h('summary', {}, 'History'), histList))));
    run.disabled = !canRun;

    function showHistory() {
      histList.replaceChildren(...history().map((q) => h('li', { tabindex: '0', title: q,
        onclick: () => { editor.value = q; editor.focus(); },
        onkeydown: (e) => { if (e.key === 'Enter') { editor.value = q; editor.focus(); } } }, q.replace(/\s+/g, ' '))));
    }
    showHistory();

    // Tables and columns to insert into the editor.
    api('/api/v1/catalog').then((cat) => {
      side.replaceChildren(h('h2', {}, 'Tables'), ...cat.tables.map((t) => h('details', {},
        h('summary', {}, h('button', { type: 'button', class: 'linkish', onclick: () => insert(t.sql_name || t.name) }, t.sql_name || t.name)),
        h('ul', {}, (t.columns || []).map((c) => h('li', {},
          h('button', { type: 'button', class: 'linkish', onclick: () => insert(c.name) }, c.name), ' ', h('span', { class: 'hint' }, c.type)))))));
    }).catch((e) => side.replaceChildren(SL.errorBox(e)));
    function insert(text) {
      const [a, b] = [editor.selectionStart, editor.selectionEnd];
      editor.setRangeText(text, a, b, 'end');
      editor.focus();
    }

    let current = { sql: '', offset: 0 };
    async function runPage(sqlText, offset) {
      info.textContent = 'Running…';
      run.disabled = true;
      try {
        const r = await api('/api/v1/query', { json: { sql: sqlText, offset, limit: PAGE } });
        current = { sql: sqlText, offset, result: r };
        render(r);
        info.textContent = 'Rows ' + (r.rows.length ? offset + 1 : 0) + '–' + (offset + r.rows.length) + (r.more ? ' (more)' : '') + ' · ' + r.elapsed_ms.toFixed(1) + ' ms';
        csvBtn.disabled = false;
        prev.disabled = offset === 0;
        next.disabled = !r.more;
      } catch (e) {
        info.textContent = 'Failed';
        showError(sqlText, e);
        csvBtn.disabled = true;
        prev.disabled = next.disabled = true;
      } finally {
        run.disabled = !canRun;
      }
    }
    function render(r) {
      out.replaceChildren(h('div', { class: 'scroll' }, h('table', { id: 'sql-table' },
        h('thead', {}, h('tr', {}, r.columns.map((c) => h('th', { scope: 'col', title: c.type }, c.name)))),
        h('tbody', {}, r.rows.map((row) => h('tr', {}, row.map((v) => h('td', { class: typeof v === 'number' ? 'num' : '' }, cellText(v)))))))));
    }
    function showError(sqlText, e) {
      const err = (e.body && e.body.error) || { message: e.message };
      const parts = [h('div', {}, err.message)];
      if (typeof err.position === 'number' && err.position >= 0) {
        const before = sqlText.slice(0, err.position);
        const line = before.split('\n').length;
        const lineStart = before.lastIndexOf('\n') + 1;
        const lineEnd = sqlText.indexOf('\n', err.position);
        const text = sqlText.slice(lineStart, lineEnd < 0 ? undefined : lineEnd);
        const col = err.position - lineStart;
        parts.push(h('pre', { class: 'caret', 'aria-label': 'at line ' + line + ', column ' + (col + 1) },
          'line ' + line + ', column ' + (col + 1) + ':\n' + text + '\n' + ' '.repeat(col) + '^'));
        editor.focus();
        editor.setSelectionRange(err.position, Math.max(err.position + 1, lineEnd < 0 ? sqlText.length : lineEnd));
      }
      out.replaceChildren(h('div', { class: 'error', role: 'alert', id: 'sql-error' }, parts));
    }
    function start() {
      const text = editor.value.trim();
      if (!text || !canRun) return;
      remember(text);
      showHistory();
      runPage(text, 0);
    }
    run.addEventListener('click', start);
    editor.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); start(); }
    });
    prev.addEventListener('click', () => runPage(current.sql, Math.max(0, current.offset - PAGE)));
    next.addEventListener('click', () => runPage(current.sql, current.offset + PAGE));
    csvBtn.addEventListener('click', async () => {
      csvBtn.disabled = true;
      info.textContent = 'Preparing CSV…';
      try {
        let offset = 0, columns = null;
        const rows = [];
        for (;;) {
          const r = await api('/api/v1/query', { json: { sql: current.sql, offset, limit: 10000 } });
          columns = r.columns.map((c) => c.name);
          for (const row of r.rows) rows.push(row.map((v) => (v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : v)));
          offset += r.rows.length;
          if (!r.more || rows.length >= CSV_MAX_ROWS || r.rows.length === 0) break;
        }
        SL.download('query.csv', SL.csv(columns, rows.slice(0, CSV_MAX_ROWS)));
        info.textContent = 'CSV: ' + Math.min(rows.length, CSV_MAX_ROWS) + ' rows';
      } catch (e) {
        showError(current.sql, e);
      } finally {
        csvBtn.disabled = false;
      }
    });
  };
})();
