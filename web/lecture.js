// The lecture page (lecture.html, made by wasm/server/lecture.go): each section's
// demo is a frame of the playground, and each holds a whole playground. So
// a frame gets its address only while it is within half a screen of the view,
// and loses it (and its memory) once it is further away; the playground in
// the frame starts its worker only when the frame is shown, and pauses
// when it leaves the view (wasm/embedview.go).
(() => {
  const near = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const frame = e.target;
      if (e.isIntersecting && !frame.hasAttribute("src")) {
        frame.src = frame.dataset.src;
      } else if (!e.isIntersecting && frame.hasAttribute("src")) {
        // Removing src would leave the document loaded: a fresh frame
        // without one unloads it.
        const fresh = frame.cloneNode(false);
        fresh.removeAttribute("src");
        near.unobserve(frame);
        frame.replaceWith(fresh);
        near.observe(fresh);
      }
    }
  }, { rootMargin: "50% 0px" });
  for (const frame of document.querySelectorAll("iframe[data-src]")) near.observe(frame);
})();
