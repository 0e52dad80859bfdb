//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The worker only runs inside a browser's Web Worker; natively the package
// is built for its tests.
func main() {
	fmt.Fprintln(os.Stderr, "worker: build with GOOS=js GOARCH=wasm; web/worker.js runs it in the browser")
	os.Exit(2)
}
