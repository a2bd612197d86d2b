/* Progress dashboard charts (ECharts). Data comes from the json_script block "dashboard-data". */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = { pending: "待报送", submitted: "待审核", returned: "已退回", accepted: "已通过", exempt: "免报", overdue: "逾期" };
  var colours = { pending: "#adb5bd", submitted: "#0d6efd", returned: "#fd7e14", accepted: "#198754", exempt: "#6f42c1", overdue: "#dc3545" };

  var unitsEl = document.getElementById("dashboard-units-chart");
  var phaseEl = document.getElementById("dashboard-phase-chart");
  [unitsEl, phaseEl].forEach(function (el) {
    if (el) {
      el.style.height = "320px";
    }
  });
  if (unitsEl) {
    var chart = echarts.init(unitsEl);
    var series = ["accepted", "submitted", "returned", "pending", "exempt"].map(function (key) {
      return { name: labels[key], type: "bar", stack: "all", data: data.series[key] || [], itemStyle: { color: colours[key] } };
    });
    series.push({ name: labels.overdue, type: "line", data: data.series.overdue, itemStyle: { color: colours.overdue } });
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 40, right: 10, bottom: 60, top: 30 },
      xAxis: { type: "category", data: data.units, axisLabel: { rotate: 30, interval: 0 } },
      yAxis: { type: "value" },
      series: series
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (phaseEl) {
    var phaseChart = echarts.init(phaseEl);
    phaseChart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v + "%"; } },
      grid: { left: 40, right: 10, bottom: 40, top: 20 },
      xAxis: { type: "category", data: data.phases },
      yAxis: { type: "value", max: 100 },
      series: [{ name: "按时率", type: "bar", data: data.phase_rates, itemStyle: { color: "#198754" } }]
    });
    window.addEventListener("resize", function () { phaseChart.resize(); });
  }
})();
