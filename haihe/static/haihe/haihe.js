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
