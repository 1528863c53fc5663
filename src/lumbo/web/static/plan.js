// lumbo plan page: a figure moves only while it is on screen.
//
// Each figure is an <img> of the moving drawing (/figures/ID.svg) with its still drawing in
// data-still (/figures/still/ID.svg). Off screen, or for people who ask for reduced motion,
// the still one is shown, so the page does not spend its time drawing figures nobody sees.
// Without this script (or without IntersectionObserver) the figures simply move, as before.

const figures = Array.from(document.querySelectorAll("img[data-still]"));
const reduce = window.matchMedia("(prefers-reduced-motion: reduce)");

for (const img of figures) {
  img.dataset.moving = img.getAttribute("src");
}

function show(img, moving) {
  const wanted = moving && !reduce.matches ? img.dataset.moving : img.dataset.still;
  if (img.getAttribute("src") !== wanted) img.setAttribute("src", wanted);
}

if ("IntersectionObserver" in window && figures.length) {
  const seen = new Set();
  const observer = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (entry.isIntersecting) seen.add(entry.target);
        else seen.delete(entry.target);
        show(entry.target, entry.isIntersecting);
      }
    },
    { rootMargin: "0px" },
  );
  for (const img of figures) observer.observe(img);
  reduce.addEventListener("change", () => {
    for (const img of figures) show(img, seen.has(img));
  });
}
