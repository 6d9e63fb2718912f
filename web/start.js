// Picks the page from the path, marks it in the navigation, keeps the freshness stamp current.
'use strict';
(async function start() {
  const routes = { '/': 'overview', '/sql': 'sql', '/catalog': 'catalog', '/pipeline': 'pipeline' };
  const page = routes[location.pathname] || 'overview';
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.page === page) a.setAttribute('aria-current', 'page');
  }
  const main = document.getElementById('main');
  try {
    const session = await SL.loadSession();
    if (!session.authenticated) {
      SL.showLogin();
      return;
    }
  } catch (e) {
    main.replaceChildren(SL.errorBox(e));
    return;
  }
  await SL.pollStatus();
  setInterval(SL.pollStatus, 5000);
  try {
    await SL.pages[page](main);
  } catch (e) {
    if (e.status !== 401) main.replaceChildren(SL.errorBox(e));
  }
})();
