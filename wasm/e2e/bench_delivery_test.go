//go:build !wasm

package e2e

import (
	"io"
	"net"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// BenchmarkPageFirstVisit (issue 14) measures what a first visit costs on
// two hosts: the `make run` server (brotli where the browser asks for it)
// and the `make static` site under a sub-path of `python3 -m http.server`
// (which sends no Content-Encoding). Each run is a fresh profile of headless
// Chromium that loads the page until it can train and its service worker
// has the site cached, then waits for the network to be quiet. The bytes
// are counted on the wire, at a TCP relay between the browser and the host:
// status lines, headers and bodies of every request of the page, its
// workers and its service worker, as encodedDataLength counts them.
//
// python-subpath-40Mbit holds the relay to a classroom Wi-Fi's rate, so that
// the downloads overlap the service worker's install: each file must still
// be fetched once.
func BenchmarkPageFirstVisit(b *testing.B) {
	srv := benchServer(b)

	b.Run("go-server", func(b *testing.B) {
		ts := httptest.NewServer(srv)
		b.Cleanup(ts.Close)
		benchFirstVisit(b, ts.Listener.Addr().String(), "/", 0)
	})
	python, err := exec.LookPath("python3")
	if err != nil {
		b.Log("no python3: no plain file server to measure")
		return
	}
	const sub = "courses/ml/playground"
	root := b.TempDir()
	if err := srv.WriteStatic(filepath.Join(root, sub)); err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		rate float64 // bytes/s, 0: no limit
	}{{"python-subpath", 0}, {"python-subpath-40Mbit", 40e6 / 8}} {
		b.Run(c.name, func(b *testing.B) {
			addr := freeAddr(b)
			_, port, _ := net.SplitHostPort(addr)
			cmd := exec.Command(python, "-m", "http.server", port, "--bind", "127.0.0.1", "--directory", root)
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
			for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
				if conn, err := net.Dial("tcp", addr); err == nil {
					conn.Close()
					break
				}
				if time.Now().After(deadline) {
					b.Fatal("python3 -m http.server did not start")
				}
			}
			benchFirstVisit(b, addr, "/"+sub+"/", c.rate)
		})
	}
}

// benchFirstVisit loads the page at path from the host at addr benchRuns
// times, each into a fresh profile, and reports the median bytes.
func benchFirstVisit(b *testing.B, addr, path string, rate float64) {
	var wire, ready []float64
	for b.Loop() {
		for range benchRuns {
			relay := newWireRelay(b, addr, rate)
			w, r := firstVisit(b, "http://"+relay.addr+path, relay)
			wire, ready = append(wire, w), append(ready, r)
		}
	}
	b.ReportMetric(median(wire)/1e6, "MB-wire")
	b.ReportMetric(median(ready)/1e6, "MB-until-ready")
	b.ReportMetric(0, "ns/op")
	b.Logf("first visits of %s: %v bytes on the wire (%v until ready to train)", path, wire, ready)
}

// firstVisit loads url into a fresh profile and returns the bytes on the
// wire until the page can train, and until its service worker is active
// and the network has been quiet for 2 s.
func firstVisit(b *testing.B, url string, relay *wireRelay) (all, untilReady float64) {
	ctx, cancel := newChromium(b, 1280, 800)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		b.Fatal(err)
	}
	if _, err := pollDocument[bool](ctx, `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 20*time.Millisecond, 2*time.Minute); err != nil {
		b.Fatalf("waiting for the page to be ready: %v", err)
	}
	untilReady = float64(relay.bytes.Load())
	if _, err := pollDocument[bool](ctx, `navigator.serviceWorker.getRegistration().then(r => !!r && !!r.active && r.active.state == "activated")`, 100*time.Millisecond, 2*time.Minute); err != nil {
		b.Fatalf("waiting for the service worker: %v", err)
	}
	last, quiet := relay.bytes.Load(), time.Now()
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline) && time.Since(quiet) < 2*time.Second; {
		time.Sleep(100 * time.Millisecond)
		if n := relay.bytes.Load(); n != last {
			last, quiet = n, time.Now()
		}
	}
	return float64(relay.bytes.Load()), untilReady
}

// wireRelay relays TCP connections to a host and counts the bytes the host
// sends back, at most rate bytes a second over all connections (0: as fast
// as they come).
type wireRelay struct {
	addr  string
	bytes atomic.Int64

	rate  float64
	mu    sync.Mutex
	start time.Time
	sent  float64
}

func newWireRelay(b *testing.B, upstream string, rate float64) *wireRelay {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ln.Close() })
	r := &wireRelay{addr: ln.Addr().String(), rate: rate}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go r.relay(c, upstream)
		}
	}()
	return r
}

func (r *wireRelay) relay(c net.Conn, upstream string) {
	defer c.Close()
	up, err := net.Dial("tcp", upstream)
	if err != nil {
		return
	}
	defer up.Close()
	go func() {
		io.Copy(up, c)
		up.Close()
	}()
	io.Copy(relayWriter{c, r}, up)
}

type relayWriter struct {
	io.Writer
	r *wireRelay
}

// Write passes p on, after waiting until the bytes sent so far fit the rate.
func (w relayWriter) Write(p []byte) (int, error) {
	if w.r.rate > 0 {
		w.r.mu.Lock()
		now := time.Now()
		if w.r.start.IsZero() || now.Sub(w.r.start).Seconds() > w.r.sent/w.r.rate+1 {
			w.r.start, w.r.sent = now, 0 // idle for a second: no credit saved up
		}
		w.r.sent += float64(len(p))
		due := w.r.start.Add(time.Duration(w.r.sent / w.r.rate * float64(time.Second)))
		w.r.mu.Unlock()
		time.Sleep(time.Until(due))
	}
	n, err := w.Writer.Write(p)
	w.r.bytes.Add(int64(n))
	return n, err
}

// freeAddr returns a loopback address no one listens on now.
func freeAddr(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return "127.0.0.1:" + strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
