// Package plot holds the page's reusable drawing pieces: a plot's geometry
// and its axes (Frame, Axes, an SVG's shapes with their accessible roles),
// a curve that thins itself (Series) and the axis a few spikes do not set
// (RobustTop), tiles of 28x28 grey-level images on one canvas (Images), and
// the PNG button that downloads a panel's figure at slide size (PNGButton).
// The panels of package ui compose them; they get plain data and know
// nothing of the worker.
package plot
