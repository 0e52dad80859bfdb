package ui

import (
	"slices"
	"strconv"

	"aeplayground/wasm/state"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// The slots that show the panels a link or a lesson chooses; which they are
// is the demo's (page.Demo).

// slot wraps a panel so it can be hidden (by an attribute, never by leaving
// it out: the panels keep their place in the tree and are never remounted)
// and, in the embed layout, put in the order the link gives. A panel shows
// if any of its names is chosen.
func (p *playground) slot(ui app.UI, names ...string) app.UI {
	return p.slotAt(false, ui, names...)
}

// slotBelow is a slot below the fold of the full layout.
func (p *playground) slotBelow(ui app.UI, names ...string) app.UI {
	return p.slotAt(true, ui, names...)
}

// slotAt makes a slot; below says whether it lies below the fold of the
// full layout. The first mount of the whole tree was the longest task of
// the page's start, so it mounts only what is in view: in the full layout
// the panels above the fold, in a layout of chosen panels (an embed, a
// lesson) the chosen ones. The rest mount in the next task (mountRest),
// as an empty slot's first child: nothing before them moves.
func (p *playground) slotAt(below bool, ui app.UI, names ...string) app.UI {
	shown := p.demo.Shows(names...)
	d := app.Div().Class("slot slot-" + names[0]).Hidden(!shown)
	if p.demo.Link.Embed || p.demo.Lesson != nil {
		order := len(state.Panels)
		for _, n := range names {
			if i := slices.Index(p.demo.Link.Panels, n); i >= 0 {
				order = min(order, i)
			}
		}
		d = d.Style("order", strconv.Itoa(order))
	}
	if inView := shown && (len(p.demo.Link.Panels) > 0 || !below); !p.mountedAll && !inView {
		return d
	}
	return d.Body(ui)
}
