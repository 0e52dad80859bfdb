//go:build wasm

package workerclient

import (
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// workerPort is the page's end of the protocol (protocol.Port) on a
// Worker, which go-app hands over as an app.Value.
type workerPort struct{ p *protocol.Port }

func newWorkerPort(w app.Value) workerPort { return workerPort{protocol.NewPort(app.JSValue(w))} }

func (w workerPort) post(req uint64, m protocol.Message) { w.p.PostRequest(req, m) }
func (w workerPort) postFrame(frame []byte)              { w.p.PostFrame(frame) }

func (w workerPort) receive(data app.Value) (m protocol.Message, req uint64, ok bool, err error) {
	return w.p.Receive(app.JSValue(data))
}
