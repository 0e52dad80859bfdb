//go:build !wasm

package server

import (
	"bytes"
	"html/template"
	"net/http"
	"strconv"

	"aeplayground/wasm/lesson"
)

// The lecture notes (lecture.html): the survey's sections as a short
// article, each lesson step with its words and formula and, beside them,
// the step itself as an embed. The page is made from the lesson table, so
// the steps are listed once; the server serves it and `make static` writes
// it beside index.html. Every address in it is relative, so the site works
// under any path, and the service worker caches it with the rest.
//
// Nine embeds on one page would each hold a playground and its worker:
// web/lecture.js gives a frame its address only once it comes within half
// a screen of the view, and keeps only the three most recently near loaded;
// the embed itself starts its worker only when it is shown (wasm/ui/embedview.go).

// lectureSection is a run of steps under one of the survey's sections.
type lectureSection struct {
	Title string
	Steps []lectureStep
}

type lectureStep struct {
	lesson.Step
	Formula template.HTML // MathML from the lesson table, ours
	Embed   string        // the frame's address, relative to the page
	Height  int
}

var lectureTmpl = template.Must(template.New("lecture").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Autoencoders: lecture notes with live demos</title>
<link rel="icon" href="web/icon.svg" type="image/svg+xml">
<style>
body { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1b1f24; background: #f6f8fa; margin: 0; line-height: 1.5; }
header, main, footer { max-width: 800px; margin: 0 auto; padding: 0 16px; }
header { padding-top: 16px; }
h1 { color: #1f4e8c; margin: 0.4em 0; }
h2 { margin: 1.6em 0 0.3em; border-bottom: 1px solid #d0d7de; }
h3 { margin: 1.2em 0 0.3em; }
a { color: #0b57d0; }
.formula { font-size: 1.15em; overflow-x: auto; margin: 8px 0; }
.formula mtd { text-align: left; math-style: normal; padding: 2px 0; }
.demo { width: 760px; max-width: 100%; height: 600px; background: #fff; border: 1px solid #d0d7de; border-radius: 8px; overflow: hidden; }
.demo iframe { border: 0; width: 100%; height: 100%; display: block; position: relative; }
.demo { position: relative; }
.demo::before { content: "The live demo loads as you reach it."; position: absolute; inset: 0; display: grid; place-items: center; color: #57606a; }
.open { font-size: 0.9em; margin: 4px 0 0; }
footer { color: #57606a; font-size: 0.9em; padding: 24px 16px; }
</style>
<script src="web/lecture.js" defer></script>
</head>
<body>
<header>
<h1>Autoencoders, with live demos</h1>
<p>These notes follow the survey <i>Auto-encoder</i> section by section. Each step states a claim and its formula, and beside it runs a small
autoencoder on handwritten digits, in your browser, that shows the claim: press its Play and watch its checkpoint tick once the claim holds.
A demo starts when you reach it and pauses when you scroll on.</p>
<p><a href="./" id="open-playground">Open the full playground</a> to change every setting yourself.</p>
<nav aria-label="Contents"><ol>
{{- range .}}{{range .Steps}}
<li><a href="#{{.ID}}">{{.Title}}</a></li>{{end}}{{end}}
</ol></nav>
</header>
<main>
{{- range .}}
<section>
<h2>{{.Title}}</h2>
{{- range .Steps}}
<article id="{{.ID}}" aria-labelledby="{{.ID}}-title">
<h3 id="{{.ID}}-title">{{.Title}}</h3>
{{- range .Text}}
<p>{{.}}</p>{{end}}
<div class="formula">{{.Formula}}</div>
<div class="demo"><iframe data-src="{{.Embed}}" width="760" height="{{.Height}}" title="Live demo: {{.Title}}"></iframe></div>
<p class="open"><a href="./#lesson={{.ID}}">Open this step in the full playground</a></p>
</article>
{{- end}}
</section>
{{- end}}
</main>
<footer><p>Runs entirely in your browser: Go compiled to WebAssembly, trained on 10,000 MNIST digits and scored on 2,000 held out.</p></footer>
</body>
</html>
`))

// lecturePage renders lecture.html from the lesson table.
func lecturePage() ([]byte, error) {
	var sections []lectureSection
	for _, s := range lesson.Steps() {
		if len(sections) == 0 || sections[len(sections)-1].Title != s.Section {
			sections = append(sections, lectureSection{Title: s.Section})
		}
		last := &sections[len(sections)-1]
		last.Steps = append(last.Steps, lectureStep{Step: s, Formula: template.HTML(s.Formula),
			Embed: "./#lesson=" + s.ID + "&embed=1", Height: lesson.EmbedHeight})
	}
	var b bytes.Buffer
	err := lectureTmpl.Execute(&b, sections)
	return b.Bytes(), err
}

// LecturePath is the lecture page's address, beside the playground's.
const LecturePath = "/lecture.html"

// serveLecture serves the lecture notes.
func (s *Server) serveLecture(w http.ResponseWriter, r *http.Request) {
	page, err := lecturePage()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(page)))
	if r.Method != http.MethodHead {
		w.Write(page)
	}
}
