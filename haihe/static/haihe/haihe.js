// Haihe's few behaviours for every page, bound from data attributes (the Content-Security-Policy
// allows no inline script and no on…= handler in the templates).

// <input type="checkbox" data-check-all="claim">: ticks or clears every input[name=claim] of
// its form (delegated, so that tables swapped in by htmx work too).
document.addEventListener("change", function (event) {
  var master = event.target;
  if (!(master instanceof HTMLInputElement) || !master.hasAttribute("data-check-all")) { return; }
  var name = master.getAttribute("data-check-all");
  var scope = master.form || document;
  scope.querySelectorAll("input[name='" + CSS.escape(name) + "']").forEach(function (box) {
    box.checked = master.checked;
  });
});

// The header's area dropdowns (<details class="dropdown">) close on a click elsewhere or Escape.
function closeDropdowns(except) {
  document.querySelectorAll("details.dropdown[open]").forEach(function (menu) {
    if (menu !== except && !menu.contains(except)) { menu.removeAttribute("open"); }
  });
}
document.addEventListener("click", function (event) {
  var inside = event.target instanceof Element ? event.target.closest("details.dropdown") : null;
  closeDropdowns(inside);
});
document.addEventListener("keydown", function (event) {
  if (event.key === "Escape") { closeDropdowns(null); }
});
