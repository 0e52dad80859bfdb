//go:build !wasm

package main

import "aeplayground/wasm/server"

// runServer serves the page natively (wasm/server): the routes, which
// the server's prerendering reads, are go-app's and registered by main.
func runServer() { server.Run() }
