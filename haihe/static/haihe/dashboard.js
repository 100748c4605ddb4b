// Draws the dashboard's charts from the JSON the page embeds (no inline script or style, no CDN).
document.addEventListener("DOMContentLoaded", function () {
  var node = document.getElementById("chart-data");
  if (!node || !window.echarts) { return; }
  JSON.parse(node.textContent).forEach(function (chart, index) {
    var element = document.getElementById("chart-" + (index + 1));
    if (!element) { return; }
    var instance = window.echarts.init(element);
    instance.setOption({
      grid: { left: 48, right: 16, top: 16, bottom: chart.kind === "district" ? 72 : 32 },
      // drawn on the canvas: the HTML tooltip writes style="…" attributes, which the
      // Content-Security-Policy refuses (no inline style)
      tooltip: { trigger: "axis", renderMode: "richText" },
      xAxis: { type: "category", data: chart.labels, axisLabel: { rotate: chart.kind === "district" ? 45 : 0 } },
      yAxis: { type: "value" },
      series: [{ type: chart.kind === "district" ? "bar" : "line", data: chart.values, name: chart.title }]
    });
    window.addEventListener("resize", function () { instance.resize(); });
  });
});
