//go:build !wasm

package e2e

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// interruptSaves cuts off every model save in the page, once armed, the way
// a reload or a closed tab would: its IndexedDB transaction is aborted after
// the new copy and the "current" pointer have been written, before it
// commits (in a microtask, as the browser would, not inside the page's
// own call).
const interruptSaves = `(() => {
	const put = IDBObjectStore.prototype.put;
	IDBObjectStore.prototype.put = function (value, key) {
		const req = put.call(this, value, key);
		if (key === "current" && window.__interruptSaves) {
			const tx = this.transaction;
			Promise.resolve().then(() => {
				try { tx.abort(); window.__interrupted = (window.__interrupted || 0) + 1; } catch (e) {}
			});
		}
		return req;
	};
})()`

// TestBrowserPersistInterruptedSave (issue 7, nothing lost): a save cut off
// in the middle leaves the previous good copy, and the next visit restores
// that one, not a half-written model.
func TestBrowserPersistInterruptedSave(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	addScript(t, p, interruptSaves)
	openPlayground(t, p, "/?aetest=1#preset=linear-pca&k=8")

	click(t, p, "#step")
	poll[bool](t, p, "samples to move on", `document.querySelector("#samples").textContent != "0"`, 10*time.Second)
	good := eval[string](t, p, `document.querySelector("#samples").textContent`)
	poll[bool](t, p, "a save after the step", `document.querySelector("#saved").textContent.includes(", `+good+` samples")`, 10*time.Second)

	eval[bool](t, p, `(window.__interruptSaves = true, true)`)
	click(t, p, "#step")
	poll[bool](t, p, "the second step", `document.querySelector("#samples").textContent != `+quote(good), 10*time.Second)
	poll[bool](t, p, "a save to be cut off", `window.__interrupted >= 1`, 10*time.Second)

	// The reload's own save on pagehide is cut off too: the good copy is the
	// only one there is.
	if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
		t.Fatal(err)
	}
	msg := poll[string](t, p, "the restored message", `(document.querySelector("#status")||{}).textContent.includes("Restored your trained model") && document.querySelector("#status").textContent`, 90*time.Second)
	t.Logf("after an interrupted save and a reload: %s", msg)
	poll[bool](t, p, "the previous good copy's counters", `document.querySelector("#samples").textContent == `+quote(good), 10*time.Second)
}
