/* Progress dashboard charts (ECharts). Data comes from the json_script block "dashboard-data";
   each chart's title and empty-state texts from its element's data-* attributes (translated in
   the template). Readable on a 360 px phone (issue 14): units as horizontal bars, one line each,
   when the chart is narrow or there are many units; every chart titled; a sentence instead of an
   empty chart; redrawn when the window changes size. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof echarts === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var labels = { pending: "待报送", submitted: "待审核", returned: "已退回", accepted: "已通过", exempt: "免报", overdue: "逾期" };
  // The legend speaks the page's language: the totals table's column names (campaign/_counts_head.html).
  var heads = document.querySelectorAll("[data-testid=dashboard-total] thead th");
  ["pending", "submitted", "returned", "accepted", "exempt", "overdue"].forEach(function (key, index) {
    var head = heads[index + 1];
    if (head && head.textContent.trim()) {
      labels[key] = head.textContent.trim();
    }
  });
  var colours = { pending: "#adb5bd", submitted: "#0d6efd", returned: "#fd7e14", accepted: "#198754", exempt: "#6f42c1", overdue: "#dc3545" };
  var STACKED = ["accepted", "submitted", "returned", "pending", "exempt"];
  var BAR_ROW = 26; // px per unit in the horizontal chart
  var TITLE = { left: "center", top: 0, textStyle: { fontSize: 14, fontWeight: 600 } };
  var charts = [];

  function sum(values) {
    return (values || []).reduce(function (total, value) { return total + (Number(value) || 0); }, 0);
  }

  /* The chart's place shows its title and a sentence instead of an empty drawing. */
  function showEmpty(el, text) {
    el.textContent = "";
    var title = document.createElement("div");
    title.className = "fw-semibold text-center small";
    title.textContent = el.dataset.title || "";
    var message = document.createElement("p");
    message.className = "app-chart-empty text-secondary text-center d-flex align-items-center justify-content-center m-0 p-3";
    message.textContent = text;
    message.dataset.testid = "chart-empty";
    el.append(title, message);
  }

  function unitsOption(el) {
    var many = data.units.length > 12;
    var horizontal = many || el.clientWidth < 576;
    var series = STACKED.map(function (key) {
      return { name: labels[key], type: "bar", stack: "all", data: data.series[key] || [], itemStyle: { color: colours[key] } };
    });
    // As dots beside horizontal bars, a unit with nothing overdue has no dot ("-": no value).
    var overdue = (data.series.overdue || []).map(function (n) { return horizontal && !n ? "-" : n; });
    series.push({ name: labels.overdue, type: horizontal ? "scatter" : "line", data: overdue,
      itemStyle: { color: colours.overdue }, symbolSize: horizontal ? 8 : 4 });
    var category = { type: "category", data: data.units, axisTick: { alignWithLabel: true } };
    var value = { type: "value", minInterval: 1 };
    if (horizontal) {
      category.inverse = true; // the first unit on top, as in the table below
      category.axisLabel = { interval: 0, width: Math.max(72, Math.min(160, el.clientWidth * 0.3)), overflow: "truncate" };
    } else {
      category.axisLabel = { interval: 0, rotate: data.units.length > 6 ? 30 : 0 };
    }
    return {
      height: horizontal ? Math.max(320, data.units.length * BAR_ROW + 110) : 320,
      option: {
        title: Object.assign({ text: el.dataset.title }, TITLE),
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true },
        legend: { top: 24, type: "scroll" },
        grid: { left: 8, right: 16, bottom: 8, top: 60, containLabel: true },
        xAxis: horizontal ? value : category,
        yAxis: horizontal ? category : value,
        series: series
      }
    };
  }

  function phaseOption(el) {
    return {
      height: Math.max(220, data.phases.length * 40 + 80),
      option: {
        title: Object.assign({ text: el.dataset.title }, TITLE),
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" }, confine: true,
          valueFormatter: function (v) { return v + "%"; } },
        grid: { left: 8, right: 40, bottom: 8, top: 36, containLabel: true },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: data.phases, inverse: true,
          axisLabel: { interval: 0, width: Math.max(80, Math.min(180, el.clientWidth * 0.35)), overflow: "break" } },
        // 0% is written beside its (invisible) bar, so a zero reads as a zero, not as missing data.
        series: [{ name: el.dataset.title, type: "bar", data: data.phase_rates, itemStyle: { color: "#198754" },
          label: { show: true, position: "right", formatter: "{c}%" } }]
      }
    };
  }

  function draw(el, build) {
    var chart = null;
    function render() {
      var built = build(el);
      el.style.height = built.height + "px";
      if (chart) {
        chart.resize();
      } else {
        chart = echarts.init(el);
      }
      chart.setOption(built.option, true);
    }
    render();
    charts.push(render);
  }

  var unitsEl = document.getElementById("dashboard-units-chart");
  if (unitsEl) {
    var unitTotal = STACKED.reduce(function (total, key) { return total + sum(data.series[key]); }, 0);
    if (!data.units.length || !unitTotal) {
      showEmpty(unitsEl, unitsEl.dataset.empty);
    } else {
      draw(unitsEl, unitsOption);
    }
  }

  var phaseEl = document.getElementById("dashboard-phase-chart");
  if (phaseEl) {
    if (!data.phases.length) {
      showEmpty(phaseEl, phaseEl.dataset.empty);
    } else if (!sum(data.phase_rates)) {
      showEmpty(phaseEl, phaseEl.dataset.zero);
    } else {
      draw(phaseEl, phaseOption);
    }
  }

  var pending = false;
  window.addEventListener("resize", function () {
    if (pending) {
      return;
    }
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      charts.forEach(function (render) { render(); });
    });
  });
})();
