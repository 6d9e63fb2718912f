// Stand-in for the chart library when the binary was built without web/node_modules: the pages
// show this message instead of charts. Run scripts/install-deps.sh and rebuild.
window.SL_CHARTS_MISSING =
    'charts are missing from this build: run scripts/install-deps.sh, then rebuild';
