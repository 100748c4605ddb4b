// A header checkbox with data-select-all="G" ticks every checkbox with data-group="G".
document.addEventListener("change", (event) => {
  const group = event.target.dataset && event.target.dataset.selectAll;
  if (!group) return;
  document.querySelectorAll(`input[data-group="${group}"]`).forEach((box) => {
    box.checked = event.target.checked;
  });
});
