// Dashboard charts (Chart.js, served locally) and the report editor's figure picker.
(function () {
  "use strict";
  var PALETTE = ["#b3181d", "#1f6fb2", "#e0a800", "#198754", "#6f42c1", "#fd7e14",
    "#20c997", "#6c757d", "#d63384", "#0dcaf0", "#795548", "#343a40"];

  function charts() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof Chart === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    Chart.defaults.font.size = 15;
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.maintainAspectRatio = false;
    var records = document.querySelector('canvas[data-chart="records"]');
    if (records) {
      new Chart(records, {
        type: "bar",
        data: {
          labels: data.records.labels,
          datasets: data.records.datasets.map(function (set, i) {
            return { label: set.label, data: set.data, backgroundColor: PALETTE[i % PALETTE.length] };
          })
        },
        options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
          plugins: { legend: { position: "bottom" } } }
      });
    }
    var colours = document.querySelector('canvas[data-chart="colours"]');
    if (colours) {
      new Chart(colours, {
        type: "doughnut",
        data: { labels: data.colours.labels,
          datasets: [{ data: data.colours.data, backgroundColor: ["#198754", "#e0a800", "#b3181d"] }] },
        options: { plugins: { legend: { position: "right" } } }
      });
    }
    var letters = document.querySelector('canvas[data-chart="letters"]');
    if (letters) {
      new Chart(letters, {
        type: "bar",
        data: { labels: data.letters.labels, datasets: [
          { label: data.letters.legend[0], data: data.letters.signed, backgroundColor: "#198754" },
          { label: data.letters.legend[1], data: data.letters.unsigned, backgroundColor: "#b3181d" }] },
        // Every bar keeps its unit's name: no automatic skipping of labels.
        options: { indexAxis: "y", scales: { x: { stacked: true, ticks: { precision: 0 } },
          y: { stacked: true, ticks: { autoSkip: false } } },
          plugins: { legend: { position: "bottom" } } }
      });
    }
  }

  // Filter forms marked data-autosubmit reload when a select changes.
  function autosubmit() {
    document.querySelectorAll("form[data-autosubmit] select").forEach(function (select) {
      select.addEventListener("change", function () { select.form.submit(); });
    });
  }

  // The figure picker inserts a token at the caret of the last focused narrative textarea.
  function picker() {
    var last = null;
    document.addEventListener("focusin", function (event) {
      if (event.target.matches("textarea[data-narrative]")) { last = event.target; }
    });
    document.querySelectorAll("[data-insert-token]").forEach(function (button) {
      button.addEventListener("click", function () {
        var target = last || document.querySelector("textarea[data-narrative]");
        if (!target) { return; }
        var token = button.getAttribute("data-insert-token");
        var start = target.selectionStart || 0, end = target.selectionEnd || 0;
        target.value = target.value.slice(0, start) + token + target.value.slice(end);
        target.focus();
        target.selectionStart = target.selectionEnd = start + token.length;
        target.dispatchEvent(new Event("input", { bubbles: true }));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { charts(); autosubmit(); picker(); });
})();
