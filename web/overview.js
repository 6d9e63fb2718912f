// Overview: KPI tiles with the change against the previous period, sales per day, per brand,
// category, store and city, and top products. Filters live in the URL; clicking a bar filters
// the whole page by it (cross-filter); every card exports CSV and PNG.
'use strict';
(function () {
  const { h, api, qs, fmt } = SL;
  const DIMS = ['brand', 'category', 'store', 'city'];
  const RANGES = [['mtd', 'Month to date'], ['last7', 'Last 7 days'], ['last30', 'Last 30 days'],
    ['last90', 'Last 90 days'], ['all', 'All data'], ['custom', 'Custom']];

  function readState() {
    const p = new URLSearchParams(location.search);
    const s = { range: p.get('range') || '', from: p.get('from') || '', to: p.get('to') || '' };
    if (!s.range && !s.from && !s.to) s.range = 'mtd';
    for (const d of DIMS) s[d] = p.getAll(d);
    return s;
  }
  function params(s) {
    const p = {};
    if (s.range && s.range !== 'custom') p.range = s.range;
    else { p.from = s.from; p.to = s.to; }
    for (const d of DIMS) p[d] = s[d];
    return p;
  }
  function writeState(s) {
    history.pushState(null, '', location.pathname + qs(params(s)));
  }

  const KPIS = [
    ['sales', 'Total sales', fmt.bigMoney],
    ['orders', 'Orders', fmt.int],
    ['units', 'Units', fmt.int],
    ['average_order_value', 'Average order value', fmt.money2],
    ['gross_profit', 'Gross profit', fmt.bigMoney],
    ['margin_pct', 'Gross margin', fmt.pct],
  ];

  function kpiTile(key, label, format, k, previous) {
    let change = h('span', { class: 'flat' }, 'no previous data');
    const points = key === 'margin_pct';
    const delta = points ? k.change_points : k.change_pct;
    if (delta !== null && delta !== undefined) {
      const dir = delta > 0 ? 'up' : delta < 0 ? 'down' : 'flat';
      const arrow = delta > 0 ? '▲' : delta < 0 ? '▼' : '■';
      const words = (delta > 0 ? 'up ' : delta < 0 ? 'down ' : 'unchanged ') + Math.abs(delta).toFixed(2) + (points ? ' points' : '%');
      change = h('span', { class: dir }, h('span', { 'aria-hidden': 'true' }, arrow + ' '), words);
    }
    const vs = previous ? ' vs ' + previous.from + ' – ' + previous.to + ' (' + format(k.previous) + ')' : '';
    return h('div', { class: 'kpi', 'data-kpi': key },
      h('div', { class: 'label' }, label),
      h('div', { class: 'value', 'data-value': k.value === null ? '' : String(k.value),
        title: k.value === null ? '' : String(k.value) }, format(k.value)),
      h('div', { class: 'change' }, change, h('span', { class: 'hint' }, vs)));
  }

  function barOption(rows, horizontal, color) {
    const names = rows.map((r) => r.label + (r.city ? ' (' + r.city + ')' : ''));
    const data = rows.map((r) => ({ value: r.sales, key: r.key }));
    const cat = { type: 'category', data: names, axisLabel: { width: 150, overflow: 'truncate' } };
    const val = { type: 'value', axisLabel: { formatter: (v) => fmt.compact(v), hideOverlap: true } };
    if (horizontal) { cat.inverse = true; }
    return {
      aria: { enabled: true },
      animation: false,
      grid: { left: horizontal ? 160 : 60, right: 20, top: 10, bottom: horizontal ? 30 : 60 },
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v) => fmt.money(v) },
      xAxis: horizontal ? val : Object.assign(cat, { axisLabel: { rotate: 30, width: 90, overflow: 'truncate' } }),
      yAxis: horizontal ? cat : val,
      series: [{ type: 'bar', name: 'Sales', data, itemStyle: { color }, cursor: 'pointer' }],
    };
  }

  function describe(title, rows) {
    return title + ': ' + rows.slice(0, 5).map((r) => r.label + ' ' + fmt.money(r.sales)).join(', ') +
      (rows.length > 5 ? ', and ' + (rows.length - 5) + ' more' : '');
  }

  SL.pages.overview = async function overview(main) {
    SL.disposeCharts();
    let state = readState();
    const filters = await api('/api/v1/filters');
    const title = h('h1', {}, 'Sales overview');
    const bar = h('form', { class: 'filters', 'aria-label': 'Filters', onsubmit: (e) => e.preventDefault() });
    const kpis = h('div', { class: 'kpis', role: 'group', 'aria-label': 'Key figures' });
    const grid = h('div', { class: 'grid' });
    const msg = h('div', { role: 'alert' });
    main.replaceChildren(title, bar, msg, kpis, grid);

    // Filter bar.
    const rangeSel = h('select', { id: 'f-range' }, RANGES.map(([v, t]) => h('option', { value: v }, t)));
    const fromIn = h('input', { id: 'f-from', type: 'date' });
    const toIn = h('input', { id: 'f-to', type: 'date' });
    if (filters.dates) {
      for (const i of [fromIn, toIn]) { i.min = filters.dates.first; i.max = filters.dates.last; }
    }
    const options = {
      brand: filters.brands.map((b) => [b, b]),
      category: filters.categories.map((c) => [c, c]),
      store: filters.stores.map((s) => [s.id, s.name + ' (' + s.city + ')']),
      city: filters.cities.map((c) => [c, c]),
    };
    const selects = {};
    for (const d of DIMS) {
      selects[d] = h('select', { id: 'f-' + d, 'data-filter': d },
        h('option', { value: '' }, 'All'), options[d].map(([v, t]) => h('option', { value: v }, t)));
    }
    const clear = h('button', { type: 'button', class: 'secondary', id: 'f-clear' }, 'Clear filters');
    bar.append(
      h('label', { for: 'f-range' }, 'Period', rangeSel),
      h('label', { for: 'f-from' }, 'From', fromIn),
      h('label', { for: 'f-to' }, 'To', toIn),
      h('label', { for: 'f-brand' }, 'Brand', selects.brand),
      h('label', { for: 'f-category' }, 'Category', selects.category),
      h('label', { for: 'f-store' }, 'Store', selects.store),
      h('label', { for: 'f-city' }, 'City', selects.city),
      h('span', { class: 'spacer' }), clear);

    function syncInputs() {
      rangeSel.value = state.range || 'custom';
      for (const d of DIMS) selects[d].value = state[d][0] || '';
    }
    function update(change) {
      state = Object.assign({}, state, change);
      writeState(state);
      syncInputs();
      load();
    }
    rangeSel.addEventListener('change', () => {
      if (rangeSel.value === 'custom') update({ range: 'custom', from: fromIn.value, to: toIn.value });
      else update({ range: rangeSel.value, from: '', to: '' });
    });
    for (const i of [fromIn, toIn]) {
      i.addEventListener('change', () => update({ range: 'custom', from: fromIn.value, to: toIn.value }));
    }
    for (const d of DIMS) {
      selects[d].addEventListener('change', () => update({ [d]: selects[d].value ? [selects[d].value] : [] }));
    }
    clear.addEventListener('click', () => update({ range: 'mtd', from: '', to: '', brand: [], category: [], store: [], city: [] }));
    window.onpopstate = () => { state = readState(); syncInputs(); load(); };
    syncInputs();

    // Cards.
    const cards = {};
    let data = {};
    function chartCard(key, title, opts) {
      const c = SL.card(title, {
        wide: opts.wide,
        csv: () => SL.download(key + '.csv', opts.csv()),
        png: () => cards[key].chart && SL.downloadDataUrl(key + '.png',
          cards[key].chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' })),
      });
      const el = h('div', { class: 'chart' + (opts.tall ? ' tall' : ''), role: 'img', 'aria-label': title });
      c.body.append(el);
      if (opts.extra) c.body.append(opts.extra);
      if (opts.hint) c.body.append(h('p', { class: 'hint' }, opts.hint));
      grid.append(c.el);
      const empty = h('p', { class: 'empty', 'data-empty': key, hidden: '' }, 'No sales match these filters.');
      c.body.append(empty);
      cards[key] = { el, empty, chart: SL.makeChart(el), card: c };
      if (cards[key].chart && opts.click) cards[key].chart.on('click', opts.click);
    }
    const breakdownCsv = (by) => () => SL.csv([by, 'label', 'sales', 'orders', 'units', 'gross_profit', 'margin_pct', 'share_pct'],
      data[by].rows.map((r) => [r.key, r.label, r.sales, r.orders, r.units, r.gross_profit, r.margin_pct, r.share_pct]));
    chartCard('trend', 'Sales per day', {
      wide: true,
      csv: () => SL.csv(['date', 'sales', 'orders', 'units', 'gross_profit'],
        data.trend.points.map((p) => [p.date, p.sales, p.orders, p.units, p.gross_profit])),
      hint: 'Click a day to look at it alone.',
      click: (p) => update({ range: 'custom', from: p.name, to: p.name }),
    });
    for (const [by, title, tall] of [['brand', 'Sales by brand', true], ['category', 'Sales by category', false],
      ['store', 'Sales by store', true], ['city', 'Sales by city', false]]) {
      chartCard(by, title, {
        tall, csv: breakdownCsv(by), hint: by === 'store' ? 'The 20 stores that sold most. Click a bar to filter the page by it.' : 'Click a bar to filter the page by it.',
        click: (p) => p.data && p.data.key !== undefined && update({ [by]: [p.data.key] }),
      });
    }
    const topTable = h('div', { class: 'scroll' });
    chartCard('top', 'Top products', {
      wide: true, extra: topTable,
      csv: () => SL.csv(['rank', 'product_id', 'product_name', 'brand', 'category', 'units', 'sales', 'orders', 'gross_profit'],
        data.top.rows.map((r) => [r.rank, r.product_id, r.product_name, r.brand, r.category, r.units, r.sales, r.orders, r.gross_profit])),
    });

    let generation = 0;
    async function load() {
      const mine = ++generation;
      const p = params(state);
      msg.replaceChildren();
      let answers;
      try {
        answers = await Promise.all([
          api('/api/v1/summary' + qs(p)),
          api('/api/v1/timeseries' + qs(p)),
          ...['brand', 'category', 'store', 'city'].map((by) => api('/api/v1/breakdowns' + qs(Object.assign({ by, limit: by === 'store' ? 20 : 30 }, p)))),
          api('/api/v1/top-products' + qs(Object.assign({ limit: 10 }, p))),
        ]);
      } catch (e) {
        if (e.status !== 401) msg.replaceChildren(SL.errorBox(e));
        return;
      }
      if (mine !== generation) return;  // a newer filter won
      const [summary, trend, brand, category, store, city, top] = answers;
      data = { summary, trend, brand, category, store, city, top };
      fromIn.value = summary.filter.from;
      toIn.value = summary.filter.to;
      title.textContent = 'Sales overview, ' + summary.period.from + ' to ' + summary.period.to;
      kpis.replaceChildren(...KPIS.map(([key, label, format]) =>
        kpiTile(key, label, format, summary.kpis[key], summary.previous)));
      kpis.dataset.commit = summary.as_of.commit;
      // A filter that matches nothing: an empty state in every card, not empty axes.
      const nothing = !summary.kpis.orders.value;
      main.dataset.empty = nothing ? 'true' : 'false';
      for (const c of Object.values(cards)) {
        c.empty.hidden = !nothing;
        c.el.hidden = nothing;
        if (nothing && c.chart) c.chart.clear();
        else if (c.chart) c.chart.resize();
      }
      if (nothing) {
        msg.replaceChildren(h('p', { class: 'hint' }, 'No sales match these filters in ' + summary.period.from +
          ' – ' + summary.period.to + '. Change the period or ', h('a', { href: '/' }, 'clear the filters'), '.'));
        topTable.replaceChildren();
        main.dataset.loaded = String(Number(main.dataset.loaded || 0) + 1);
        return;
      }
      if (cards.trend.chart) {
        cards.trend.chart.setOption({
          aria: { enabled: true }, animation: false,
          grid: { left: 70, right: 60, top: 40, bottom: 40 },
          legend: { data: ['Sales', 'Orders'], top: 0, right: 10 },
          tooltip: { trigger: 'axis' },
          xAxis: { type: 'category', data: trend.points.map((x) => x.date) },
          yAxis: [{ type: 'value', axisLabel: { formatter: (v) => fmt.compact(v) } },
            { type: 'value', splitLine: { show: false } }],
          series: [
            { name: 'Sales', type: 'line', areaStyle: { opacity: 0.15 }, data: trend.points.map((x) => x.sales), color: '#1f4fa3', cursor: 'pointer' },
            { name: 'Orders', type: 'bar', yAxisIndex: 1, data: trend.points.map((x) => x.orders), color: '#9bb6e0', cursor: 'pointer' },
          ],
        }, true);
      }
      cards.trend.el.setAttribute('aria-label', 'Sales per day from ' + summary.period.from + ' to ' + summary.period.to);
      const colors = { brand: '#1f4fa3', category: '#2f7d5b', store: '#7a4fa3', city: '#a3601f' };
      const titles = { brand: 'Sales by brand', category: 'Sales by category', store: 'Sales by store', city: 'Sales by city' };
      for (const by of ['brand', 'category', 'store', 'city']) {
        const rows = data[by].rows;
        if (cards[by].chart) cards[by].chart.setOption(barOption(rows, by === 'brand' || by === 'store', colors[by]), true);
        cards[by].el.setAttribute('aria-label', describe(titles[by], rows));
        cards[by].el.dataset.rows = rows.length;
      }
      if (cards.top.chart) {
        cards.top.chart.setOption(barOption(top.rows.map((r) => ({ label: r.product_name, key: r.product_id, sales: r.sales })), true, '#1f4fa3'), true);
      }
      cards.top.el.setAttribute('aria-label', describe('Top products', top.rows.map((r) => ({ label: r.product_name, sales: r.sales }))));
      topTable.replaceChildren(h('table', {},
        h('caption', { class: 'hint' }, 'Top ' + top.rows.length + ' of ' + top.total_rows + ' products by sales'),
        h('thead', {}, h('tr', {}, ['#', 'Product', 'Brand', 'Category'].map((t) => h('th', { scope: 'col' }, t)),
          ['Units', 'Sales', 'Gross profit'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
        h('tbody', {}, top.rows.map((r) => h('tr', {},
          h('td', {}, r.rank), h('td', {}, r.product_name), h('td', {}, r.brand), h('td', {}, r.category),
          h('td', { class: 'num' }, fmt.int(r.units)), h('td', { class: 'num' }, fmt.money(r.sales)),
          h('td', { class: 'num' }, fmt.money(r.gross_profit)))))));
      main.dataset.loaded = String(Number(main.dataset.loaded || 0) + 1);
    }
    SL.onCommit = () => load();
    await load();
  };
})();
