/* The workbench's statistics charts (web/templates/workbench/statistics.html): bar charts drawn
   with Chart.js from the same figures as the tables below them (the JSON block
   #statistics-data, rendered by the server from punishmentStatistics). Without JavaScript the
   charts stay hidden and the tables say everything. window.statistics holds the charts (the
   browser tests compare their data with the API's counts). */
(function () {
  "use strict";
  var source = document.getElementById("statistics-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var COLOURS = {
    LISTING: "#b3261e",
    DERIVED_ENTRY: "#e08a00",
    CHECK: "#1f5fa8",
    EXECUTION: "#2e7d32"
  };
  Chart.defaults.font.family = '"Noto Sans SC", "Noto Sans CJK SC", sans-serif';
  Chart.defaults.color = "#222";
  window.statistics = { charts: {}, drawn: false };

  data.tables.forEach(function (table) {
    var canvas = document.getElementById("chart-" + table.name);
    var figure = document.getElementById("figure-" + table.name);
    if (!canvas || !figure || table.rows.length === 0) {
      return;
    }
    figure.hidden = false;
    var labels = table.rows.map(function (row) {
      return row.key === null ? data.none[table.name] : row.label;
    });
    var datasets = data.series.map(function (series) {
      return {
        label: data.labels[series],
        key: series,
        data: table.rows.map(function (row) { return row[series]; }),
        backgroundColor: COLOURS[series]
      };
    });
    window.statistics.charts[table.name] = new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: table.name === "month" ? "x" : "y",
        scales: {
          x: { beginAtZero: true, ticks: { precision: 0 } },
          y: { beginAtZero: true, ticks: { precision: 0 } }
        },
        plugins: { legend: { position: "bottom" } }
      }
    });
  });
  window.statistics.drawn = true;
})();
