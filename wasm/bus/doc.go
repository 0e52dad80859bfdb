// Package bus is the page's one way of sending an action: a typed value,
// named once, posted by whoever has news and handled by the components
// that show it.
//
// go-app v9.8.0 re-renders a component after each action it handles even
// when the handler called ctx.PreventUpdate (engine.handleDispatch marks the
// component for update after running the handler, undoing the handler's
// PreventUpdate). A handler on the playground re-rendered the whole page
// (every panel, every plot) on each drawing frame and each progress
// message: 30 to 120 ms of the main thread. So bus keeps its own handlers,
// beside go-app's action manager, which it never asks: a quiet handler
// (HandleQuiet) runs on go-app's goroutine like any other but re-renders
// nothing unless it calls its component's Update; a plain one (Handle)
// re-renders its component after it, as go-app's would.
//
// An action's handlers are keyed by the component that registered them and
// go when it is dismounted, so a component may register any number of
// handlers of one action (go-app keys them by the handler's code, and a
// second generic handler would replace the first).
package bus
