//go:build wasm

package main

// runServer does nothing in the browser: keeping the server behind a build
// constraint keeps net/http out of app.wasm (22.7 MB with it, 7.7 MB without).
func runServer() {}
