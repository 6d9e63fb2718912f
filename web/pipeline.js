// Pipeline: the batches, the runs (rows in/out/quarantined, bytes, durations), "run now" for
// admins, and data quality: quarantined rows by reason over time, with sample rows.
'use strict';
(function () {
  const { h, api, qs, fmt } = SL;

  SL.pages.pipeline = async function pipeline(main) {
    SL.disposeCharts();
    const [status, runs, quarantine] = await Promise.all([
      api('/api/v1/status'), api('/api/v1/runs?limit=50'), api('/api/v1/quarantine')]);
    const runBtn = h('button', { type: 'button', id: 'run-now' }, 'Run now');
    const runState = h('span', { class: 'hint', role: 'status', 'aria-live': 'polite', id: 'run-state' }, status.run_now.state === 'none' ? '' : 'Last run now: ' + status.run_now.state);
    const admin = SL.roleAtLeast('admin') && status.run_now.available;
    runBtn.addEventListener('click', async () => {
      runBtn.disabled = true;
      runState.textContent = 'Running…';
      try {
        await api('/api/v1/runs', { json: {} });
        const wait = setInterval(async () => {
          const s = await api('/api/v1/status');
          runState.textContent = 'Run now: ' + s.run_now.state;
          if (s.run_now.state !== 'running') { clearInterval(wait); runBtn.disabled = false; SL.pages.pipeline(main); }
        }, 1000);
      } catch (e) {
        runState.textContent = e.message;
        runBtn.disabled = false;
      }
    });
    const b = status.batches;
    const summary = h('section', { class: 'card wide', 'aria-label': 'Batches' },
      h('header', {}, h('h2', {}, 'Batches'), admin ? runBtn : null, runState),
      h('p', { id: 'batch-counts' }, fmt.int(b.extracted) + ' extracted, ' + fmt.int(b.transformed) + ' transformed, ' + fmt.int(b.pending) + ' pending.'),
      h('div', { class: 'scroll' }, h('table', { id: 'lake-tables' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Table'), ['Rows', 'Files', 'Partitions', 'Bytes'].map((t) => h('th', { scope: 'col', class: 'num' }, t)))),
        h('tbody', {}, status.tables.map((t) => h('tr', {}, h('td', {}, t.table), h('td', { class: 'num' }, fmt.int(t.rows)),
          h('td', { class: 'num' }, fmt.int(t.files)), h('td', { class: 'num' }, fmt.int(t.partitions)), h('td', { class: 'num' }, fmt.bytes(t.bytes))))))));

    const runRows = [];
    for (const r of runs.runs) {
      const commits = h('tr', { hidden: true }, h('td', { colspan: '10' }, h('table', {},
        h('thead', {}, h('tr', {}, ['Commit', 'Kind', 'At', 'Files added', 'Rows added', 'Details'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', {}, r.commits.map((c) => h('tr', {}, h('td', {}, '#' + c.seq), h('td', {}, c.kind), h('td', {}, fmt.time(c.committed_at)),
          h('td', { class: 'num' }, fmt.int(c.files_added)), h('td', { class: 'num' }, fmt.int(c.rows_added)),
          h('td', {}, h('code', {}, JSON.stringify(c.details).slice(0, 300)))))))));
      const toggle = h('button', { type: 'button', class: 'small secondary', 'aria-expanded': 'false', onclick: () => {
        commits.hidden = !commits.hidden;
        toggle.setAttribute('aria-expanded', String(!commits.hidden));
      } }, r.commits.length + ' commit' + (r.commits.length > 1 ? 's' : ''));
      runRows.push(h('tr', { class: 'run' }, h('td', {}, h('code', {}, r.run_id || '–')), h('td', {}, fmt.time(r.started_at)),
        h('td', { class: 'num' }, (r.duration_ms / 1000).toFixed(1) + ' s'), h('td', {}, r.kinds.join(', ')),
        h('td', { class: 'num' }, fmt.int(r.batches_landed)), h('td', { class: 'num' }, fmt.int(r.rows_extracted)),
        h('td', { class: 'num' }, fmt.int(r.rows_main)), h('td', { class: 'num' }, fmt.int(r.rows_quarantined)),
        h('td', { class: 'num' }, fmt.bytes(r.bytes_written)), h('td', {}, toggle)), commits);
    }
    const runsCard = h('section', { class: 'card wide', 'aria-label': 'Runs' },
      h('header', {}, h('h2', {}, 'Runs (' + runs.total_runs + ', newest first)')),
      h('div', { class: 'scroll' }, h('table', { id: 'runs' },
        h('thead', {}, h('tr', {}, ['Run', 'Started'].map((t) => h('th', { scope: 'col' }, t)), h('th', { scope: 'col', class: 'num' }, 'Duration'),
          h('th', { scope: 'col' }, 'Steps'), ['Batches', 'Rows in', 'Rows to main', 'Quarantined', 'Bytes'].map((t) => h('th', { scope: 'col', class: 'num' }, t)),
          h('th', { scope: 'col' }, 'Commits'))),
        h('tbody', {}, runRows))));

    // Data quality.
    const reasons = Object.keys(quarantine.by_reason);
    const chartEl = h('div', { class: 'chart', role: 'img', 'aria-label': 'Quarantined rows by reason per day: ' +
      reasons.map((r) => r + ' ' + quarantine.by_reason[r]).join(', ') });
    const reasonSel = h('select', { id: 'q-reason' }, h('option', { value: '' }, 'All reasons'), reasons.map((r) => h('option', { value: r }, r)));
    const samples = h('div', { class: 'scroll', id: 'q-samples' });
    const quality = SL.card('Data quality: quarantined rows by reason', {
      wide: true,
      csv: () => SL.download('quarantine.csv', SL.csv(['date', ...reasons],
        quarantine.over_time.map((d) => [d.date, ...reasons.map((r) => d.by_reason[r] || 0)]))),
      png: () => chart && SL.downloadDataUrl('quarantine.png', chart.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: '#fff' })),
    });
    quality.body.append(
      h('p', { id: 'q-totals' }, reasons.length ? reasons.map((r) => r + ': ' + fmt.int(quarantine.by_reason[r])).join(' · ') : 'Nothing quarantined.'),
      chartEl,
      h('h2', {}, 'Sample rows'),
      SL.roleAtLeast('analyst') ? h('label', { for: 'q-reason' }, 'Reason', reasonSel) : h('p', { class: 'notice' }, 'Sample rows need the analyst role (they hold customer data).'),
      samples);
    main.replaceChildren(h('h1', {}, 'Pipeline'), h('div', { class: 'grid' }, summary, quality.el, runsCard));
    const chart = SL.makeChart(chartEl);
    if (chart) {
      chart.setOption({
        aria: { enabled: true }, animation: false,
        legend: { type: 'scroll', top: 0 }, tooltip: { trigger: 'axis' },
        grid: { left: 60, right: 20, top: 60, bottom: 30 },
        xAxis: { type: 'category', data: quarantine.over_time.map((d) => d.date) },
        yAxis: { type: 'value', name: 'rows' },
        series: reasons.map((r) => ({ name: r, type: 'bar', stack: 'q', data: quarantine.over_time.map((d) => d.by_reason[r] || 0) })),
      });
    }
    async function loadSamples() {
      if (!SL.roleAtLeast('analyst')) return;
      try {
        const q = await api('/api/v1/quarantine' + qs({ reason: reasonSel.value, samples: 20 }));
        samples.replaceChildren(h('table', {},
          h('thead', {}, h('tr', {}, ['Reason', 'Detail', 'Batch', 'Record', 'Raw'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, q.samples.map((s) => h('tr', {}, h('td', {}, s.reason), h('td', {}, s.detail),
            h('td', {}, h('code', {}, s.batch_id.slice(0, 12))), h('td', { class: 'num' }, s.record_index), h('td', {}, h('code', {}, s.raw.slice(0, 300))))))));
      } catch (e) {
        samples.replaceChildren(SL.errorBox(e));
      }
    }
    reasonSel.addEventListener('change', loadSamples);
    loadSamples();
    SL.onCommit = () => SL.pages.pipeline(main);
  };
})();
