//go:build !wasm

package main

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The browser suite drives Debian's Chromium (never a downloaded browser)
// against the app served in-process from the built web/ folder.

const chromiumPath = "/usr/bin/chromium"

// artifacts is where the suite leaves its screenshots (git-ignored).
var artifacts = filepath.Join("..", "testdata-artifacts")

var routesOnce sync.Once

// browserPage is one headless Chromium tab on the app, with the console
// messages it has logged.
type browserPage struct {
	ctx context.Context
	url string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

func newBrowserPage(t *testing.T, width, height int64) *browserPage {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if p, err := exec.LookPath("chromium"); err != nil {
			t.Skipf("no Chromium at %s or on PATH: skipping the browser suite (install Debian's chromium package to run it)", chromiumPath)
		} else {
			t.Logf("using Chromium at %s", p)
		}
	}
	for _, f := range requiredFiles {
		if _, err := os.Stat(filepath.Join("..", "web", f)); err != nil {
			t.Skipf("web/%s is not built: run `make build` (or `make test`) to run the browser suite", f)
		}
	}
	routesOnce.Do(routes)
	srv, err := newServer(filepath.Join("..", "web"))
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)

	exe := chromiumPath
	if _, err := os.Stat(exe); err != nil {
		exe, _ = exec.LookPath("chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(width), int(height)),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelTab(); cancelAlloc() })

	p := &browserPage{ctx: ctx, url: ts.URL}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err != nil {
		t.Fatal(err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			p.mu.Lock()
			p.console = append(p.console, m)
			p.mu.Unlock()
		}
	}()
	return p
}

// errors returns the console errors and uncaught exceptions so far.
func (p *browserPage) errors() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []string
	for _, m := range p.console {
		if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException || m.Type == "error" {
			errs = append(errs, string(m.Type)+": "+m.Text+" ("+m.URL+")")
		}
	}
	return errs
}

// screenshot saves the page as testdata-artifacts/name.png.
func (p *browserPage) screenshot(t *testing.T, name string) {
	t.Helper()
	buf, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if !strings.HasSuffix(name, ".png") {
		name += ".png"
	}
	if err := os.MkdirAll(artifacts, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(artifacts, name)
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// poll waits until the JavaScript expression is truthy and returns its value.
func poll[T any](t *testing.T, p *browserPage, what, expr string, timeout time.Duration) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Poll[T](expr,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		p.screenshot(t, "failure")
		t.Fatalf("waiting for %s: %v\nconsole errors: %v", what, err, p.errors())
	}
	return v
}

func eval[T any](t *testing.T, p *browserPage, expr string) T {
	t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

func TestBrowserPlayground(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/")); err != nil {
		t.Fatal(err)
	}
	poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
	p.screenshot(t, "playground-1280x800")
	if errs := p.errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
