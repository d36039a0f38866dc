/* Draws the insight charts with Apache ECharts. Each chart's numbers come from the
   <script type="application/json" id="<chart>-data"> element beside it (json_script); the
   same numbers are in the table under the chart. No inline script or style is needed. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") { return; }

  function percent(unit) {
    return unit === "%" ? function (v) { return v === null || v === undefined ? "—" : v + "%"; } : null;
  }

  function bars(d, stacked) {
    var horizontal = !!d.horizontal;
    var category = { type: "category", data: d.x, axisLabel: { hideOverlap: true } };
    var value = { type: "value", minInterval: 1 };
    if (horizontal) { category.inverse = true; }
    return {
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { containLabel: true, left: 8, right: 16, top: 32, bottom: 8 },
      xAxis: horizontal ? value : category,
      yAxis: horizontal ? category : value,
      series: d.series.map(function (s) {
        return { name: s.name, type: "bar", stack: stacked ? "all" : undefined, data: s.data };
      })
    };
  }

  var builders = {
    stacked: function (d) { return bars(d, true); },
    bar: function (d) { return bars(d, false); },
    line: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: percent(d.unit) },
        legend: { type: "scroll", top: 0 },
        grid: { containLabel: true, left: 8, right: 16, top: 32, bottom: 8 },
        xAxis: { type: "category", data: d.x },
        yAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        series: d.series.map(function (s) {
          return { name: s.name, type: "line", data: s.data, connectNulls: false, symbolSize: 6 };
        })
      };
    },
    ranking: function (d) {
      return {
        tooltip: { trigger: "axis", valueFormatter: percent(d.unit) },
        legend: { type: "scroll", top: 0 },
        grid: { containLabel: true, left: 8, right: 16, top: 32, bottom: 8 },
        xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", data: d.x, inverse: true },
        series: [
          { name: d.series[0].name, type: "bar", data: d.series[0].data },
          { name: d.series[1].name, type: "scatter", symbol: "diamond", symbolSize: 10, data: d.series[1].data }
        ]
      };
    },
    pie: function (d) {
      return {
        tooltip: { trigger: "item" },
        legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["30%", "60%"], data: d.series, label: { formatter: "{b}: {c}" } }]
      };
    },
    heatmap: function (d) {
      return {
        tooltip: { formatter: function (p) { return p.value[0] + ": " + p.value[1]; } },
        visualMap: { min: 0, max: Math.max(d.max, 1), orient: "horizontal", left: "center", bottom: 0, calculable: false },
        calendar: { range: d.range, cellSize: ["auto", 12], top: 24, left: 30, right: 10, yearLabel: { show: false } },
        series: [{ type: "heatmap", coordinateSystem: "calendar", data: d.values }]
      };
    }
  };

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (element) {
    var source = document.getElementById(element.dataset.chart + "-data");
    var build = builders[element.dataset.kind];
    if (!source || !build) { return; }
    var chart = echarts.init(element);
    chart.setOption(build(JSON.parse(source.textContent)));
    charts.push(chart);
  });
  window.addEventListener("resize", function () {
    charts.forEach(function (chart) { chart.resize(); });
  });
})();
