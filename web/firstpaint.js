// Runs in the page's <head>, before the first paint. Until app.wasm has
// started, the browser shows the default playground as the server rendered
// it, with go-app's loading screen as a small bar (app.css). A link that
// lays the page out otherwise (an embed, a lesson step, its own panels,
// large type) keeps the full loading screen instead, so the default layout
// never flashes inside a lecturer's iframe.
"use strict";
if (/(^|[#&])(embed|lesson|panels|large)=/.test(location.hash)) {
  document.documentElement.classList.add("own-layout");
}
