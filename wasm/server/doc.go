// Package server serves the playground natively: go-app's page
// (prerendered from the routes the caller registered), the lecture notes,
// and the built files of web/ with their types, caching and precompressed
// forms; or writes it all out as a static site that any host can serve
// under any path.
package server
