//go:build !wasm

package server

import (
	"io"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"aeplayground/wasm/lesson"
)

// The server serves the lecture page, made from the lesson table: a
// section per step, in order, each with its words, its formula and its
// embed, every address relative; and the service worker caches it.
func TestServerLecturePage(t *testing.T) {
	srv := serverOf(t, fakeWeb(t))
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/lecture.html", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") || rec.Header().Get("Content-Security-Policy") == "" {
		t.Fatalf("GET /lecture.html: %d %v", rec.Code, rec.Header())
	}
	page := rec.Body.String()
	frames := regexp.MustCompile(`<article id="([a-z0-9]+)"[\s\S]*?<iframe data-src="([^"]*)" width="760" height="600"`).FindAllStringSubmatch(page, -1)
	if len(frames) != len(lesson.IDs()) {
		t.Fatalf("%d embeds, want %d", len(frames), len(lesson.IDs()))
	}
	for i, s := range lesson.Steps() {
		if frames[i][1] != s.ID || frames[i][2] != "./#lesson="+s.ID+"&amp;embed=1" {
			t.Errorf("section %d: %q embeds %q", i, frames[i][1], frames[i][2])
		}
		if !strings.Contains(page, s.Formula) || !strings.Contains(page, strings.ReplaceAll(s.Text[0], "'", "&#39;")) {
			t.Errorf("section %s lacks its formula or its words", s.ID)
		}
	}
	if regexp.MustCompile(`(src|href)="/`).MatchString(page) {
		t.Error("an absolute address: the page would not work under a sub-path")
	}
	rec = httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", "/app-worker.js", nil))
	sw, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(sw), `"/lecture.html"`) {
		t.Error("the service worker does not cache the lecture page")
	}
}
