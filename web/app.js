// The dashboard's shell: DOM helpers, the API client, session and sign-in, number formats,
// exports (CSV, PNG) and the freshness stamp. Pages (overview.js, sql.js, catalog.js,
// pipeline.js) register themselves in SL.pages; start.js picks one from the path.
'use strict';
window.SL = (function () {
  const SL = { pages: {}, session: null, status: null, onCommit: null };

  // h('div', {class: 'x', onclick: fn}, 'text', child, [more children])
  SL.h = function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else el.setAttribute(k, v === true ? '' : v);
    }
    const add = (c) => {
      if (c === null || c === undefined || c === false) return;
      if (Array.isArray(c)) c.forEach(add);
      else el.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    };
    children.forEach(add);
    return el;
  };
  const h = SL.h;

  class ApiError extends Error {
    constructor(status, body) {
      super((body && body.error && body.error.message) || ('HTTP ' + status));
      this.status = status;
      this.body = body;
    }
  }
  SL.ApiError = ApiError;

  SL.api = async function api(path, options) {
    const opts = Object.assign({ credentials: 'same-origin', headers: {} }, options || {});
    if (opts.json !== undefined) {
      opts.method = opts.method || 'POST';
      opts.body = JSON.stringify(opts.json);
      opts.headers['Content-Type'] = 'application/json';
      delete opts.json;
    }
    if (opts.method === 'POST' && SL.session && SL.session.csrf) {
      opts.headers['X-CSRF-Token'] = SL.session.csrf;
    }
    const res = await fetch(path, opts);
    const type = res.headers.get('Content-Type') || '';
    const body = type.startsWith('application/json') ? await res.json() : await res.text();
    if (res.status === 401 && !path.endsWith('/login')) {
      SL.showLogin();
      throw new ApiError(401, body);
    }
    if (!res.ok) throw new ApiError(res.status, body);
    return body;
  };

  // Query strings from objects: arrays become repeated parameters; empty values are left out.
  SL.qs = function qs(params) {
    const u = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) {
      for (const x of (Array.isArray(v) ? v : [v])) {
        if (x !== undefined && x !== null && x !== '') u.append(k, x);
      }
    }
    const s = u.toString();
    return s ? '?' + s : '';
  };

  const inr = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', maximumFractionDigits: 0 });
  const inr2 = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const int = new Intl.NumberFormat('en-IN');
  const compact = new Intl.NumberFormat('en-IN', { style: 'currency', currency: 'INR', notation: 'compact', maximumFractionDigits: 1 });
  const crores = new Intl.NumberFormat('en-IN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  SL.fmt = {
    money: (v) => (v === null || v === undefined ? '–' : inr.format(v)),
    money2: (v) => (v === null || v === undefined ? '–' : inr2.format(v)),
    // Whole rupees up to a crore, then "₹146.81 Cr": a tile stays one line wide.
    bigMoney: (v) => (v === null || v === undefined ? '–' : Math.abs(v) >= 1e7 ? '₹' + crores.format(v / 1e7) + ' Cr' : inr.format(v)),
    compact: (v) => (v === null || v === undefined ? '–' : compact.format(v)),
    int: (v) => (v === null || v === undefined ? '–' : int.format(v)),
    pct: (v) => (v === null || v === undefined ? '–' : v.toFixed(2) + '%'),
    bytes: (v) => {
      const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
      let i = 0;
      while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
      return (i ? v.toFixed(1) : v) + ' ' + u[i];
    },
    time: (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '–'),
    ago: (iso) => {
      if (!iso) return '';
      const s = Math.max(0, (Date.now() - Date.parse(iso)) / 1000);
      if (s < 90) return Math.round(s) + ' s ago';
      if (s < 5400) return Math.round(s / 60) + ' min ago';
      if (s < 172800) return Math.round(s / 3600) + ' h ago';
      return Math.round(s / 86400) + ' days ago';
    },
  };

  // CSV (RFC 4180): quotes around fields with commas, quotes or line breaks; formula-looking
  // text is prefixed with a quote so spreadsheets do not evaluate it.
  SL.csv = function csv(header, rows) {
    const cell = (v) => {
      if (v === null || v === undefined) return '';
      let s = String(v);
      if (/^[=+\-@]/.test(s) && isNaN(Number(s))) s = "'" + s;
      return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
    };
    return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  };
  SL.download = function download(name, content, type) {
    const blob = content instanceof Blob ? content : new Blob([content], { type: type || 'text/csv' });
    const a = h('a', { href: URL.createObjectURL(blob), download: name });
    document.body.appendChild(a);
    a.click();
    setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  };
  SL.downloadDataUrl = function (name, url) {
    const a = h('a', { href: url, download: name });
    document.body.appendChild(a);
    a.click();
    a.remove();
  };

  SL.chartsAvailable = () => typeof window.echarts !== 'undefined';
  SL.charts = [];
  SL.makeChart = function makeChart(el) {
    if (!SL.chartsAvailable()) {
      el.replaceChildren(h('p', { class: 'notice' }, window.SL_CHARTS_MISSING || 'charts unavailable'));
      return null;
    }
    const chart = echarts.init(el, null, { renderer: 'canvas' });
    SL.charts.push(chart);
    return chart;
  };
  window.addEventListener('resize', () => SL.charts.forEach((c) => c.resize()));
  SL.disposeCharts = function () {
    SL.charts.forEach((c) => c.dispose());
    SL.charts = [];
  };

  SL.errorBox = (e) => h('div', { class: 'error', role: 'alert' }, e.message || String(e));

  SL.roleAtLeast = function (role) {
    const order = { viewer: 1, analyst: 2, admin: 3 };
    return SL.session && order[SL.session.role] >= order[role];
  };

  SL.loadSession = async function () {
    SL.session = await SL.api('/api/v1/session');
    const who = document.getElementById('who');
    who.replaceChildren();
    if (SL.session.authenticated && !SL.session.open) {
      who.append(SL.session.user + ' (' + SL.session.role + ')',
        h('button', { class: 'small secondary', type: 'button', onclick: async () => {
          await SL.api('/api/v1/logout', { json: {} });
          location.reload();
        } }, 'Sign out'));
    }
    return SL.session;
  };

  SL.showLogin = function () {
    const main = document.getElementById('main');
    if (main.querySelector('.login')) return;
    const user = h('input', { id: 'login-user', autocomplete: 'username', required: true });
    const pass = h('input', { id: 'login-pass', type: 'password', autocomplete: 'current-password', required: true });
    const msg = h('div', { role: 'alert' });
    const form = h('form', { class: 'login', onsubmit: async (ev) => {
      ev.preventDefault();
      msg.replaceChildren();
      try {
        await SL.api('/api/v1/login', { json: { user: user.value, password: pass.value } });
        location.reload();
      } catch (e) {
        msg.replaceChildren(SL.errorBox(e));
      }
    } },
      h('h1', {}, 'Sign in to saleslake'),
      h('label', { for: 'login-user' }, 'User', user),
      h('label', { for: 'login-pass' }, 'Password', pass),
      h('button', { type: 'submit' }, 'Sign in'), msg,
      h('p', { class: 'hint' }, 'Scripts and tools use an API key instead: Authorization: Bearer <key>.'));
    SL.disposeCharts();
    main.replaceChildren(form);
    user.focus();
  };

  // The freshness stamp, and a callback when a new commit lands (pages reload their data).
  SL.pollStatus = async function () {
    try {
      const s = await SL.api('/api/v1/status');
      const previous = SL.status;
      SL.status = s;
      const el = document.getElementById('freshness');
      el.textContent = s.committed_at
        ? 'Data as of commit #' + s.commit + ', ' + SL.fmt.time(s.committed_at) + ' (' + SL.fmt.ago(s.committed_at) + ')'
        : 'The lake has no data yet';
      el.title = 'Lake ' + s.lake + '; loaded ' + SL.fmt.time(s.loaded_at);
      if (previous && previous.commit !== s.commit && SL.onCommit) SL.onCommit(s);
    } catch (e) {
      /* 401 shows the sign-in form; other errors leave the stamp as it was */
    }
  };

  // A card: title, export buttons, body.
  SL.card = function card(title, opts) {
    opts = opts || {};
    const body = h('div', { class: 'card-body' });
    const buttons = [];
    if (opts.csv) buttons.push(h('button', { class: 'small secondary', type: 'button', 'aria-label': 'Download ' + title + ' as CSV', onclick: opts.csv }, 'CSV'));
    if (opts.png) buttons.push(h('button', { class: 'small secondary', type: 'button', 'aria-label': 'Download ' + title + ' as PNG', onclick: opts.png }, 'PNG'));
    const id = 'card-' + title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
    const el = h('section', { class: 'card' + (opts.wide ? ' wide' : ''), 'aria-labelledby': id + '-h', id },
      h('header', {}, h('h2', { id: id + '-h' }, title), buttons), body);
    return { el, body };
  };

  return SL;
})();
