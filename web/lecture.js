// The lecture page (lecture.html, made by wasm/server/lecture.go): each section's
// demo is a frame of the playground, and each holds a whole playground. So
// a frame gets its address only once it comes within half a screen of the
// view, and only the keep frames nearest the view most recently stay loaded:
// a student who scrolls back to the last section or two finds its model as
// it was left, and a page of nine sections never holds nine playgrounds. The
// playground in a frame starts its worker only when the frame is shown, and
// pauses when it leaves the view (wasm/ui/embedview.go).
(() => {
  const keep = 3;
  const near = new Set();   // frames within half a screen of the view
  const loaded = [];        // frames with an address, the least recently near first
  const unload = (frame) => {
    // Removing src would leave the document loaded: a fresh frame
    // without one unloads it.
    const fresh = frame.cloneNode(false);
    fresh.removeAttribute("src");
    observer.unobserve(frame);
    frame.replaceWith(fresh);
    observer.observe(fresh);
  };
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) {
      const frame = e.target;
      if (!e.isIntersecting) {
        near.delete(frame);
        continue;
      }
      near.add(frame);
      const i = loaded.indexOf(frame);
      if (i >= 0) loaded.splice(i, 1);
      loaded.push(frame);
      if (!frame.hasAttribute("src")) frame.src = frame.dataset.src;
    }
    for (let i = 0; loaded.length > keep && i < loaded.length; ) {
      if (near.has(loaded[i])) {
        i++;
        continue;
      }
      unload(loaded.splice(i, 1)[0]);
    }
  }, { rootMargin: "50% 0px" });
  for (const frame of document.querySelectorAll("iframe[data-src]")) observer.observe(frame);
})();
