// Catalog: the lake's tables with rows, files and partitions; for one table its columns,
// partitions, files, schema versions and the DDL for each engine, ready to copy.
'use strict';
(function () {
  const { h, api, qs, fmt } = SL;
  const DIALECTS = [['athena', 'Athena'], ['trino', 'Trino'], ['spark', 'Spark'], ['hive', 'Hive'], ['duckdb', 'DuckDB']];

  function tableOf(headers, rows, numeric) {
    return h('table', {},
      h('thead', {}, h('tr', {}, headers.map((t, i) => h('th', { scope: 'col', class: numeric && numeric[i] ? 'num' : '' }, t)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, r.map((v, i) => h('td', { class: numeric && numeric[i] ? 'num' : '' }, v))))));
  }

  SL.pages.catalog = async function catalog(main) {
    SL.disposeCharts();
    const cat = await api('/api/v1/catalog');
    const detail = h('div', { id: 'catalog-detail' });
    const list = tableOf(['Table', 'Location', 'Rows', 'Files', 'Partitions', 'Bytes', 'Schema version'],
      cat.tables.map((t) => [
        h('button', { type: 'button', class: 'small secondary', 'data-table': t.name, onclick: () => show(t.name) }, t.sql_name || t.name),
        t.location, fmt.int(t.rows), fmt.int(t.files), fmt.int(t.partition_count), fmt.bytes(t.bytes),
        t.schema_version || (t.schema_versions && t.schema_versions.length) || '–']),
      [false, false, true, true, true, true, true]);
    list.id = 'catalog-tables';
    main.replaceChildren(h('h1', {}, 'Catalog'),
      h('p', { class: 'hint' }, cat.source === 'ledger'
        ? 'From the lake\'s ledger (run saleslake crawl for schema versions and DDL).'
        : 'From the catalog, as of its last crawl.'),
      h('section', { class: 'card wide', 'aria-label': 'Tables' }, h('div', { class: 'scroll' }, list)), detail);

    async function show(name) {
      detail.replaceChildren(h('p', { class: 'hint' }, 'Loading ' + name + '…'));
      let t;
      try {
        const one = await api('/api/v1/catalog' + qs({ table: name }));
        t = one.tables[0];
      } catch (e) {
        detail.replaceChildren(SL.errorBox(e));
        return;
      }
      const ddl = h('pre', { class: 'ddl', id: 'ddl-text', tabindex: '0', 'aria-label': 'DDL' });
      const copy = h('button', { type: 'button', class: 'small secondary', onclick: () => navigator.clipboard && navigator.clipboard.writeText(ddl.textContent) }, 'Copy');
      const tabs = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'SQL dialect' });
      async function dialect(d) {
        for (const b of tabs.children) b.setAttribute('aria-selected', String(b.dataset.dialect === d));
        if (cat.source === 'ledger') {
          ddl.textContent = 'DDL export needs the catalog: run saleslake crawl --lake <lake>.';
          return;
        }
        try {
          ddl.textContent = await api('/api/v1/catalog' + qs({ table: name, dialect: d }));
        } catch (e) {
          ddl.textContent = e.message;
        }
      }
      for (const [d, label] of DIALECTS) {
        tabs.append(h('button', { type: 'button', role: 'tab', class: 'small', 'data-dialect': d, onclick: () => dialect(d) }, label));
      }
      const parts = t.partitions || [];
      const files = t.file_list || t.files_list || [];
      const versions = t.schema_versions || [];
      detail.replaceChildren(h('h2', { id: 'detail-title' }, (t.sql_name || t.name) + ' — ' + t.location),
        h('div', { class: 'grid' },
          h('section', { class: 'card', 'aria-label': 'Columns' }, h('h2', {}, 'Columns'),
            tableOf(['Column', 'Type', 'Nullable'], (t.columns || []).map((c) => [c.name, c.type, c.nullable ? 'yes' : 'no'])),
            (t.partition_keys || []).length ? h('p', { class: 'hint' }, 'Partitioned by ' + t.partition_keys.map((k) => k.name || k).join(', ')) : null),
          h('section', { class: 'card', 'aria-label': 'DDL' }, h('header', {}, h('h2', {}, 'DDL'), copy), tabs, ddl),
          h('section', { class: 'card', 'aria-label': 'Partitions' }, h('h2', {}, 'Partitions (' + parts.length + ')'),
            h('div', { class: 'scroll' }, tableOf(['Partition', 'Files', 'Rows'], parts.map((p) => [p.partition || '(none)', fmt.int(p.files), fmt.int(p.rows)]), [false, true, true]))),
          h('section', { class: 'card', 'aria-label': 'Files' }, h('h2', {}, 'Files (' + files.length + ')'),
            h('div', { class: 'scroll' }, tableOf(['Path', 'Rows', 'Bytes'], files.map((f) => [f.path, fmt.int(f.rows), fmt.bytes(f.bytes)]), [false, true, true]))),
          versions.length ? h('section', { class: 'card wide', 'aria-label': 'Schema versions' }, h('h2', {}, 'Schema versions'),
            tableOf(['Version', 'Seen at', 'Change'], versions.map((v) => [v.version, SL.fmt.time(v.created_at || v.seen_at), v.change || v.description || '']))) : null));
      dialect('athena');
    }
    const main_ = cat.tables.find((t) => t.name === 'sales' || t.name === 'main/sales') || cat.tables[0];
    if (main_) show(new URLSearchParams(location.search).get('table') || main_.name);
  };
})();
