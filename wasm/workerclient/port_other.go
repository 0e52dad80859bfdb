//go:build !wasm

package workerclient

import (
	"aeplayground/wasm/protocol"

	"github.com/maxence-charriere/go-app/v9/pkg/app"
)

// workerPort is the browser's (port_wasm.go); natively the page
// never runs, and the package is built for its server and its tests.
type workerPort struct{}

func newWorkerPort(app.Value) workerPort         { return workerPort{} }
func (workerPort) post(uint64, protocol.Message) {}
func (workerPort) postFrame([]byte)              {}
func (workerPort) receive(app.Value) (protocol.Message, uint64, bool, error) {
	return nil, 0, false, nil
}
