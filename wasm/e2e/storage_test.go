//go:build !wasm

package e2e

// What the page keeps in the browser (issues 5 and 7): the exports, a
// model saved that survives a reload, a cut-off save, a closed tab and a
// worker that dies; storage denied, full or silent; Start over.

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"aeplayground/wasm/api"
	"aeplayground/wasm/protocol"

	"github.com/chromedp/chromedp"
)

func TestBrowserExportAndPersist(t *testing.T) {
	start := time.Now()
	p := newBrowserPage(t, 1280, 900)
	addScript(t, p, captureDownloads)
	openPlayground(t, p, "/?aetest=1#preset=linear-pca&k=8")
	trainTo(t, p, 1.2)
	poll[bool](t, p, "the model to be saved", `document.querySelector("#saved").textContent.startsWith("Saved in this browser")`, 20*time.Second)
	test := settled(t, p, "#test-loss")

	t.Run("png", func(t *testing.T) {
		n := 0
		for _, name := range []string{"your-digit", "heldout", "pca-filters", "loss-curve", "code-space"} {
			// The button says how wide its PNG is.
			title := eval[string](t, p, `document.querySelector("#png-`+name+`").title`)
			m := regexp.MustCompile(`PNG image, (\d+) pixels wide`).FindStringSubmatch(title)
			if m == nil {
				t.Fatalf("%s: the button's title %q gives no width", name, title)
			}
			width, _ := strconv.Atoi(m[1])
			click(t, p, "#png-"+name)
			d := downloaded(t, p, n)
			n++
			if d["name"] != "aeplayground-"+name+".png" || d["type"] != "image/png" {
				t.Errorf("%s: downloaded %v %v", name, d["name"], d["type"])
			}
			head := d["head"].([]any)
			if len(head) < 4 || head[1].(float64) != 'P' || head[2].(float64) != 'N' || head[3].(float64) != 'G' {
				t.Errorf("%s: not a PNG: %v", name, head)
			}
			if len(head) == 24 {
				if w := int(head[16].(float64))<<24 | int(head[17].(float64))<<16 | int(head[18].(float64))<<8 | int(head[19].(float64)); w != width {
					t.Errorf("%s: %d px wide, want the %d its button says", name, w, width)
				}
			}
			if d["size"].(float64) < 5000 {
				t.Errorf("%s: a PNG of %v bytes", name, d["size"])
			}
		}
		t.Run("csv", func(t *testing.T) {
			click(t, p, "#download-csv")
			d := downloaded(t, p, n)
			n++
			lines := strings.Split(strings.TrimSpace(d["text"].(string)), "\r\n")
			if !strings.HasPrefix(lines[0], "epoch,samples,train_loss,heldout_loss,pca_floor,angle_1_deg") || !strings.HasSuffix(lines[0], "angle_8_deg") {
				t.Errorf("CSV header %q", lines[0])
			}
			if len(lines) < 3 || strings.Count(lines[len(lines)-1], ",") != 12 {
				t.Errorf("CSV of %d lines, last %q", len(lines), lines[len(lines)-1])
			}
		})
		t.Run("model file", func(t *testing.T) {
			click(t, p, "#download-model")
			d := downloaded(t, p, n)
			n++
			if !strings.HasPrefix(d["name"].(string), "autoencoder-784-8-784") || !strings.HasSuffix(d["name"].(string), ".aemodel") {
				t.Errorf("model file named %q", d["name"])
			}
			if h := d["head"].([]any); len(h) < 4 || h[0].(float64) != 'A' || h[1].(float64) != 'E' {
				t.Errorf("model file starts %v", h)
			}
			// ~2*784*8 parameters of 8 bytes.
			if d["size"].(float64) < 8*2*784*8 {
				t.Errorf("model file of %v bytes", d["size"])
			}
		})
	})
	p.screenshot(t, "export")

	t.Run("bad model file", func(t *testing.T) {
		samples := eval[string](t, p, `document.querySelector("#samples").textContent`)
		k := eval[string](t, p, `document.querySelector("#in-k").value`)
		setFile(t, p, "notes.aemodel", `new TextEncoder().encode("these are my lecture notes, not a model")`)
		msg := poll[string](t, p, "the bad file's message", `!document.querySelector("#load-error").hidden && document.querySelector("#load-error").textContent`, 10*time.Second)
		if !strings.Contains(msg, "not a model file") {
			t.Errorf("bad file message %q", msg)
		}
		time.Sleep(500 * time.Millisecond)
		if s := eval[string](t, p, `document.querySelector("#samples").textContent`); s != samples {
			t.Errorf("a bad file changed samples seen %s -> %s", samples, s)
		}
		if got := eval[string](t, p, `document.querySelector("#in-k").value`); got != k {
			t.Errorf("a bad file changed k %s -> %s", k, got)
		}
	})

	t.Run("load model file", func(t *testing.T) {
		// The file downloaded above, loaded back after switching to another
		// architecture: its settings come back with it.
		setValue(t, p, "#in-k", "5")
		poll[bool](t, p, "a new model", `document.querySelector("#samples").textContent == "0"`, 10*time.Second)
		setFile(t, p, "back.aemodel", `new Uint8Array(window.__downloads.find(d => d.name.endsWith(".aemodel")).bytes)`)
		poll[bool](t, p, "the loaded model's settings", `document.querySelector("#in-k").value == "8"`, 10*time.Second)
		if msg := eval[string](t, p, `document.querySelector("#load-info").textContent`); !strings.Contains(msg, "Loaded 784-8-784") {
			t.Errorf("load info %q", msg)
		}
		poll[bool](t, p, "the held-out loss of the file", `document.querySelector("#test-loss").textContent == `+quote(test), 10*time.Second)
		poll[bool](t, p, "the link to follow", `location.hash.includes("k=8")`, 5*time.Second)
		poll[bool](t, p, "it to be saved", `document.querySelector("#saved").textContent.startsWith("Saved in this browser")`, 20*time.Second)
	})

	t.Run("reload restores", func(t *testing.T) {
		click(t, p, "#step") // saved whenever training rests
		poll[bool](t, p, "samples to move on", `document.querySelector("#samples").textContent != "0"`, 10*time.Second)
		samples := eval[string](t, p, `document.querySelector("#samples").textContent`)
		test = eval[string](t, p, `document.querySelector("#test-loss").textContent`)
		poll[bool](t, p, "a save after the step", `document.querySelector("#saved").textContent.includes(", `+samples+` samples")`, 10*time.Second)
		if err := chromedp.Do(p.ctx, chromedp.Reload()); err != nil {
			t.Fatal(err)
		}
		msg := poll[string](t, p, "the restored message", `(document.querySelector("#status")||{}).textContent.includes("Restored your trained model") && document.querySelector("#status").textContent`, 90*time.Second)
		t.Logf("after reload: %s", msg)
		poll[bool](t, p, "the restored counters and loss", `document.querySelector("#samples").textContent == `+quote(samples)+
			` && document.querySelector("#test-loss").textContent == `+quote(test), 10*time.Second)
		if got := eval[string](t, p, `document.querySelector("#in-k").value`); got != "8" {
			t.Errorf("k after reload %s", got)
		}
	})

	t.Run("closed tab", func(t *testing.T) {
		// A new visit without the link finds the settings and the model.
		if err := chromedp.Do(p.ctx, chromedp.Navigate(p.url+"/?aetest=1")); err != nil {
			t.Fatal(err)
		}
		poll[bool](t, p, "the restored message", `(document.querySelector("#status")||{}).textContent.includes("Restored your trained model")`, 90*time.Second)
		if got := eval[string](t, p, `document.querySelector("#in-k").value`); got != "8" {
			t.Errorf("k after a new visit %s", got)
		}
		if !eval[bool](t, p, `location.hash.includes("k=8")`) {
			t.Errorf("the link was not restored: %s", eval[string](t, p, `location.hash`))
		}
	})

	t.Run("worker panic", func(t *testing.T) {
		// The restored counters come with the restored model's first
		// progress, after the status line the last subtest waited for.
		samples := poll[string](t, p, "the restored counters", `(s => s != "0" && s)(document.querySelector("#samples").textContent)`, 30*time.Second)
		eval[bool](t, p, `(window.__workers = 0, true)`)
		p.expectErrors("the worker panics on purpose, and the page logs it", "panic", "nil map")
		// The test-only command, through the page's own worker client: a
		// second Worker would not be the page's.
		forcePanic(t, p)
		// A script's step, posted right behind the panic, dies with the
		// worker: its promise fails instead of waiting forever.
		eval[bool](t, p, `(window.aePlayground.call("step", {n: 1}).then(() => "resolved", e => e.message).then(v => window.__stepAnswer = v), true)`)
		msg := poll[string](t, p, "the restart to be reported", `document.querySelector("#status").textContent.includes("A new one started and restored") && document.querySelector("#status").textContent`, 90*time.Second)
		t.Logf("after the panic: %s", msg)
		if ans := poll[string](t, p, "the pending step to be answered", `window.__stepAnswer || ""`, 10*time.Second); !strings.Contains(ans, "stopped") {
			t.Errorf("a step pending when the worker died was answered %q, want an error saying it stopped", ans)
		}
		if !strings.Contains(msg, "internal error") {
			t.Errorf("message %q does not say why", msg)
		}
		// The status line comes with the worker's "loaded" message; the
		// counters with its next progress message, a moment later.
		poll[bool](t, p, "the restored counters", `document.querySelector("#samples").textContent == `+quote(samples), 30*time.Second)
		click(t, p, "#step")
		poll[bool](t, p, "the new worker to train", `parseFloat(document.querySelector("#samples").textContent) > `+samples, 10*time.Second)
	})

	t.Run("start over", func(t *testing.T) {
		click(t, p, "#start-over")
		// A trained model: the page asks first (TestBrowserStartOverAsks).
		poll[bool](t, p, "the question", `!document.querySelector("#start-over-ask").hidden`, 5*time.Second)
		click(t, p, "#start-over-confirm")
		time.Sleep(3 * time.Second) // the page navigates
		poll[bool](t, p, "the defaults", `location.hash == "" || !location.hash.includes("k=8")`, 30*time.Second)
		poll[bool](t, p, "the worker to be ready", `!!document.querySelector("#play") && !document.querySelector("#play").disabled`, 90*time.Second)
		time.Sleep(time.Second)
		if s := eval[string](t, p, `document.querySelector("#status").textContent`); strings.Contains(s, "Restored") {
			t.Errorf("start over still restored: %q", s)
		}
		if got := eval[string](t, p, `document.querySelector("#samples").textContent`); got != "0" {
			t.Errorf("samples after start over %s", got)
		}
	})
	t.Logf("export, persistence and worker restart: %v", time.Since(start).Round(time.Second))
}

// forcePanic sends the test-only panic through the page's worker: the page
// exposes nothing for it, so the test wraps Worker.prototype.postMessage
// to find the page's worker the next time it posts (the heartbeat does
// every 2 s).
func forcePanic(t *testing.T, p *browserPage) {
	t.Helper()
	eval[bool](t, p, `(() => { const post = Worker.prototype.postMessage;
		Worker.prototype.postMessage = function (m, ...rest) {
			Worker.prototype.postMessage = post;
			post.call(this, new Uint8Array(`+jsBytesLiteral(protocol.Append(nil, &protocol.Panic{}))+`));
			return post.call(this, m, ...rest);
		}; return true })()`)
}

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

func TestBrowserPersistStorageDenied(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	addScript(t, p, `(() => {
		const deny = () => { throw new DOMException("The operation is insecure.", "SecurityError") };
		Object.defineProperty(window, "indexedDB", {get: () => ({open: deny})});
		Storage.prototype.setItem = deny;
	})()`)
	openPlayground(t, p, "/#preset=linear-pca&k=4")
	msg := poll[string](t, p, "storage to be reported", `!document.querySelector("#storage-note").hidden && document.querySelector("#storage-note").textContent`, 20*time.Second)
	if !strings.Contains(msg, "not being saved") || !strings.Contains(msg, "private browsing") {
		t.Errorf("storage message %q", msg)
	}
	if note := eval[string](t, p, `document.querySelector("#note").textContent`); !strings.Contains(note, "not being saved") {
		t.Errorf("the page's note %q does not say so", note)
	}
	// The page still trains and exports.
	trainTo(t, p, 0.3)
	click(t, p, "#download-csv")
	time.Sleep(time.Second)
}

// TestBrowserPersistQuotaExceeded: a browser whose storage is full throws
// QuotaExceededError when the model is put: the page says the storage is
// full, nothing crashes, and training and export go on.
func TestBrowserPersistQuotaExceeded(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	addScript(t, p, `(() => {
		const put = IDBObjectStore.prototype.put;
		IDBObjectStore.prototype.put = function (value, ...rest) {
			if (value && value.bytes) throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
			return put.call(this, value, ...rest);
		};
	})()`)
	openPlayground(t, p, "/#preset=linear-pca&k=4")
	call[any](t, p, "train", "")
	msg := poll[string](t, p, "the full storage to be reported", `!document.querySelector("#storage-note").hidden && document.querySelector("#storage-note").textContent`, 60*time.Second)
	if !strings.Contains(msg, "full") {
		t.Errorf("storage message %q does not say the storage is full", msg)
	}
	// Every save fails the same way; training goes on.
	poll[bool](t, p, "training to go on", `parseFloat(document.querySelector("#epoch").textContent) >= 0.6`, 2*time.Minute)
	call[any](t, p, "pause", "")
	click(t, p, "#download-csv")
	time.Sleep(time.Second)
}

// TestBrowserPersistOtherLink: a model trained from one link is restored
// when the page is opened again without a link, but a link to other
// settings (the next demo in a lecture) gets its own new model, and the page
// says why the old one was not restored.
func TestBrowserPersistOtherLink(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	openPlayground(t, p, "/#preset=linear-pca&k=4")
	trainTo(t, p, 0.3)
	poll[bool](t, p, "the model to be saved", `(document.querySelector(".export-card, #export") || document.body).textContent.includes("Saved in this browser")`, 20*time.Second)

	navigate(t, p, p.url+"/#preset=survey") // through about:blank: a new page load
	waitReady(t, p)
	note := poll[string](t, p, "the note about the saved model", `document.querySelector("#note").textContent.includes("not restored") && document.querySelector("#note").textContent`, 20*time.Second)
	t.Logf("note: %s", note)
	poll[bool](t, p, "the link's own new model (k = 32, nothing seen)", `window.aePlayground.call("getState").then(s => s.k == 32 && s.samplesSeen == 0)`, 20*time.Second)
	if s := eval[string](t, p, `document.querySelector("#status").textContent`); strings.Contains(s, "Restored") {
		t.Errorf("status %q: the other settings' model was restored", s)
	}
}

// A browser whose storage never answers: the page waits readWait for the
// saved model, then answers the scripts that waited and says that nothing
// is being saved. Without the time limit getState never answered.
func TestBrowserStorageSilent(t *testing.T) {
	p := newBrowserPage(t, 1280, 800)
	addScript(t, p, `Object.defineProperty(window, "indexedDB", {get: () => ({open: () => ({})})})`)
	navigate(t, p, p.url+"/#preset=linear-pca")
	poll[bool](t, p, "the API", `!!window.aePlayground`, 60*time.Second)
	start := time.Now()
	st := call[api.State](t, p, "getState", "")
	t.Logf("getState answered after %v", time.Since(start).Round(100*time.Millisecond))
	if st.SamplesSeen != 0 || st.Preset != "linear-pca" {
		t.Errorf("getState: %v samples, preset %q; want a fresh linear-pca", st.SamplesSeen, st.Preset)
	}
	msg := poll[string](t, p, "storage to be reported", `!document.querySelector("#storage-note").hidden && document.querySelector("#storage-note").textContent`, 5*time.Second)
	if !strings.Contains(msg, "not being saved") || !strings.Contains(msg, "did not answer") {
		t.Errorf("storage message %q", msg)
	}
	waitReady(t, p)
	trainTo(t, p, 0.2) // and the page trains
}

// "Start over" asks in the page before it discards a trained model: Keep
// it changes nothing; Forget it starts afresh with nothing restored
// (issue 15.3).
func TestBrowserStartOverAsks(t *testing.T) {
	p := newBrowserPage(t, 1280, 900)
	navigate(t, p, p.url+"/#preset=linear-pca")
	waitReady(t, p)
	trainTo(t, p, 0.5)
	call[api.State](t, p, "pause", "")
	trained := settled(t, p, "#samples")

	click(t, p, "#start-over")
	ask := poll[string](t, p, "the question", `(() => { const a = document.querySelector("#start-over-ask");
		return a && !a.hidden && a.getBoundingClientRect().height > 0 && a.textContent })()`, 5*time.Second)
	t.Logf("asks: %s", ask)
	if !strings.Contains(ask, "trained model") || !strings.Contains(ask, "samples") {
		t.Errorf("the question %q does not name what is lost", ask)
	}
	if f := eval[string](t, p, `document.activeElement.id`); f != "start-over-cancel" {
		t.Errorf("focus on %q, want the Keep it button", f)
	}
	p.screenshot(t, "start-over-asks")

	click(t, p, "#start-over-cancel")
	time.Sleep(time.Second)
	if s := eval[string](t, p, `document.querySelector("#samples").textContent`); s != trained {
		t.Errorf("Keep it: %s samples, want the trained model's %s", s, trained)
	}
	if eval[bool](t, p, `!document.querySelector("#start-over-ask").hidden`) {
		t.Error("the question stays after Keep it")
	}

	click(t, p, "#start-over")
	poll[bool](t, p, "the question again", `!document.querySelector("#start-over-ask").hidden`, 5*time.Second)
	eval[bool](t, p, `window.__before = true`)
	click(t, p, "#start-over-confirm")
	time.Sleep(3 * time.Second) // the page empties its storage and opens itself again
	waitReady(t, p)
	if eval[bool](t, p, `!!window.__before || location.hash.includes("linear-pca")`) {
		t.Errorf("the page was not opened afresh: %s", eval[string](t, p, `location.href`))
	}
	time.Sleep(2 * time.Second)
	st := call[api.State](t, p, "getState", "")
	if st.SamplesSeen != 0 || strings.Contains(eval[string](t, p, `document.querySelector("#status").textContent`), "Restored") {
		t.Errorf("after Start over: %v samples, status %q; want a fresh model", st.SamplesSeen, eval[string](t, p, `document.querySelector("#status").textContent`))
	}
	// A fresh model has nothing to lose: Start over does not ask.
	click(t, p, "#start-over")
	time.Sleep(time.Second)
	if eval[bool](t, p, `!document.querySelector("#start-over-ask").hidden`) {
		t.Error("Start over asks with nothing trained")
	}

	// On a phone the question and its buttons fit the card.
	q := newBrowserPage(t, 390, 844)
	navigate(t, q, q.url+"/#preset=linear-pca")
	waitReady(t, q)
	call[api.State](t, q, "step", `{n: 20}`)
	click(t, q, "#start-over")
	poll[bool](t, q, "the question", `!document.querySelector("#start-over-ask").hidden`, 5*time.Second)
	if over := eval[bool](t, q, `(() => { const card = document.querySelector(".export-card").getBoundingClientRect();
		return [...document.querySelectorAll("#start-over-ask, #start-over-ask button")].some(e => {
			const r = e.getBoundingClientRect(); return r.left < card.left || r.right > card.right })})()`); over {
		t.Error("at 390 px the question or its buttons stick out of the card")
	}
	eval[bool](t, q, `(document.querySelector("#start-over-ask").scrollIntoView({block: "center"}), true)`)
	q.screenshot(t, "start-over-asks-phone")
}
