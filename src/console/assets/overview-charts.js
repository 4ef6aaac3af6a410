// chibo console, overview: draws every <canvas data-chart="…"> with Chart.js (served from chibo,
// loaded before this file). The data is plain JSON on the canvas; the table below each chart has
// the same numbers, so a screen reader or a browser without scripts loses nothing.
(function () {
  "use strict";
  // Colours that stay apart for most colour-blind readers, dark enough on white.
  var PALETTE = ["#0b4f9c", "#c45a00", "#1b6e20", "#a3161a", "#5b2a86", "#00707a", "#6b6b6b"];

  function draw(canvas) {
    var spec;
    try {
      spec = JSON.parse(canvas.getAttribute("data-chart"));
    } catch (error) {
      return;
    }
    var figure = canvas.closest("figure");
    if (figure) figure.classList.add("overview-drawn");
    var percent = spec.unit === "percent";
    var many = spec.datasets.length > 1;
    new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (set, i) {
          var colour = PALETTE[i % PALETTE.length];
          return { label: set.label, data: set.data, backgroundColor: colour, borderColor: colour, borderWidth: 2, pointRadius: 4, spanGaps: false };
        }),
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: {
          legend: { display: many, position: "bottom" },
          tooltip: percent ? { callbacks: { label: function (item) { return item.dataset.label + ": " + item.formattedValue + "%"; } } } : {},
        },
        scales: {
          x: { stacked: !!spec.stacked, ticks: { autoSkip: true, maxRotation: 60 } },
          y: {
            stacked: !!spec.stacked,
            beginAtZero: true,
            max: percent ? 100 : undefined,
            ticks: { precision: 0, callback: percent ? function (value) { return value + "%"; } : undefined },
          },
        },
      },
    });
    canvas.setAttribute("data-drawn", "true");
  }

  function start() {
    if (typeof window.Chart !== "function") return;
    window.Chart.defaults.font.size = 14;
    window.Chart.defaults.color = "#1a1a1a";
    var canvases = document.querySelectorAll("canvas[data-chart]");
    for (var i = 0; i < canvases.length; i++) draw(canvases[i]);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
