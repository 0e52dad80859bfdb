//go:build !wasm

// Package e2e is the playground's browser suite: tests that drive the page
// in Debian's headless Chromium (through chromedp) as a visitor, a host page
// or a script would, against the server of wasm/server on the built web/
// folder or the static site it writes. They reach the page only as a
// browser does: its DOM, and window.aePlayground, whose getState answers an
// api.State. Beside them: the page benchmarks (make bench), the soak test
// (make soak) and the test of web/loader.js under Node.
//
// Run the browser tests with
//
//	make test-browser
//
// which builds web/, installs axe-core in testdata/axe (npm ci) and runs
// `go test -count=1 -run Browser -v ./wasm/e2e`, leaving screenshots in
// testdata-artifacts/; make test runs them too. Without Chromium or the
// built web/ they fail, saying what to run; AE_SKIP_BROWSER=1 skips them.
package e2e
