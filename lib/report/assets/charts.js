// Browser side of report.html: draws the charts from the inline summary with uPlot.
// Plain ES2019 with no imports: it is inlined into the page as it is written here.
(function () {
  'use strict';
  var summary = JSON.parse(document.getElementById('faultline-summary').textContent);
  var series = summary.series || [];
  var faults = (summary.phases || []).filter(function (p) { return p.kind === 'fault'; });
  var transitions = summary.transitions || [];

  // x is seconds since load start (t0), at the start of each per-second window. Every chart
  // spans the same seconds (the load's and the watched processes' together), so they line up.
  var xs = series.map(function (p) { return p.tMs / 1000; });
  var vitals = summary.vitals || [];
  var allX = vitals.reduce(function (all, v) { return all.concat((v.series || []).map(function (p) { return p.tMs / 1000; })); }, xs);
  var xRange = vitals.length === 0 || allX.length === 0 ? undefined : function () {
    var lo = Math.min.apply(null, allX), hi = Math.max.apply(null, allX);
    return [lo, hi > lo ? hi : lo + 1];
  };
  function xScale() { var x = { time: false }; if (xRange) x.range = xRange; return x; }
  // A window with no completed request has no latency: leave a gap rather than a zero.
  function latency(key) { return series.map(function (p) { return p.requests > 0 ? p[key] : null; }); }
  function share(fn) { return series.map(function (p) { var n = p.requests + p.dropped; return n > 0 ? fn(p, n) * 100 : null; }); }

  // Fault intervals shaded beneath the lines; each transition drawn as a line, with a bar
  // from the edge to the moment it settled (red to the end when it never settled). Settling
  // is the load's: `edgesOnly` charts (a process's CPU and memory) draw the edges alone.
  function faultPlugin(edgesOnly) {
    return { hooks: {
      drawClear: function (u) {
        var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
        ctx.save();
        ctx.fillStyle = 'rgba(220, 53, 69, 0.13)';
        faults.forEach(function (f) {
          var x0 = u.valToPos(f.startMs / 1000, 'x', true), x1 = u.valToPos(f.endMs / 1000, 'x', true);
          ctx.fillRect(x0, top, Math.max(1, x1 - x0), height);
        });
        ctx.restore();
      },
      draw: function (u) {
        var ctx = u.ctx, top = u.bbox.top, height = u.bbox.height, px = window.devicePixelRatio || 1;
        ctx.save();
        ctx.font = (11 * px) + 'px system-ui, sans-serif';
        ctx.textAlign = 'left'; // uPlot leaves its axis alignment on the shared context
        ctx.textBaseline = 'alphabetic';
        transitions.forEach(function (t, i) {
          var x = u.valToPos(t.atMs / 1000, 'x', true);
          var color = t.edge === 'on' ? '#c0392b' : '#1e8449';
          ctx.strokeStyle = color; ctx.lineWidth = px; ctx.setLineDash([4 * px, 3 * px]);
          ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
          ctx.setLineDash([]);
          if (edgesOnly) return;
          var settled = t.settleTimeMs !== null && t.settleTimeMs !== undefined;
          var end = settled ? u.valToPos((t.atMs + t.settleTimeMs) / 1000, 'x', true) : u.bbox.left + u.bbox.width;
          var y = top + (6 + (i % 3) * 16) * px;
          ctx.fillStyle = settled ? color : '#e67e22';
          ctx.fillRect(x, y, Math.max(2 * px, end - x), 3 * px);
          var label = t.edge + ' ' + t.proxy + ':' + t.type + ' ' + (settled ? 'settled ' + (t.settleTimeMs < 100 ? '< 0.1 s' : (t.settleTimeMs / 1000).toFixed(1) + ' s') : 'never settled');
          ctx.fillText(label, x + 3 * px, y + 13 * px);
        });
        ctx.restore();
      },
    } };
  }

  function chart(id, yLabel, lines, yValues) {
    var el = document.getElementById(id);
    var opts = {
      width: Math.max(320, el.clientWidth), height: 300,
      plugins: [faultPlugin()],
      scales: { x: xScale(), y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } } },
      axes: [
        { label: 'seconds since load start', values: function (u, v) { return v.map(function (s) { return s + ' s'; }); } },
        { label: yLabel, size: 60, values: yValues },
      ],
      series: [{ label: 't' }].concat(lines.map(function (l) {
        return { label: l.label, stroke: l.color, width: 1.5, spanGaps: false,
          value: function (u, v) { return v === null || v === undefined ? '-' : yValues(u, [v])[0]; } };
      })),
    };
    var plot = new uPlot(opts, [xs].concat(lines.map(function (l) { return l.data; })), el);
    window.addEventListener('resize', function () { plot.setSize({ width: Math.max(320, el.clientWidth), height: 300 }); });
    return plot;
  }

  function ms(u, v) { return v.map(function (x) { return x === null ? '' : (x >= 100 ? x.toFixed(0) : x.toFixed(1)) + ' ms'; }); }
  function pct(u, v) { return v.map(function (x) { return x === null ? '' : x.toFixed(x >= 10 ? 0 : 1) + '%'; }); }

  chart('chart-latency', 'latency', [
    { label: 'p50', color: '#2471a3', data: latency('p50') },
    { label: 'p95', color: '#d68910', data: latency('p95') },
    { label: 'p99', color: '#922b21', data: latency('p99') },
  ], ms);
  // One chart per watched process: CPU in cores (left axis) and RSS in MiB (right axis), on
  // the latency chart's time axis, fault intervals shaded as there; seconds in which the
  // process was not found (up = 0: stopped, restarting) are grey, and its lines have a gap.
  var windowS = ((summary.parameters && summary.parameters.seriesWindowMs) || 1000) / 1000;
  function downPlugin(points) {
    return { hooks: { drawClear: function (u) {
      var ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = 'rgba(93, 109, 126, 0.22)';
      points.forEach(function (p) {
        if (p.up !== 0) return;
        var x0 = u.valToPos(p.tMs / 1000, 'x', true), x1 = u.valToPos(p.tMs / 1000 + windowS, 'x', true);
        ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
      });
      ctx.restore();
    } } };
  }

  function vitalsChart(id, v) {
    var el = document.getElementById(id);
    var points = v.series || [];
    var vx = points.map(function (p) { return p.tMs / 1000; });
    function cores(u, vals) { return vals.map(function (x) { return x === null ? '' : x.toFixed(2); }); }
    function mib(u, vals) { return vals.map(function (x) { return x === null ? '' : x.toFixed(x >= 100 ? 0 : 1) + ' MiB'; }); }
    var opts = {
      width: Math.max(320, el.clientWidth), height: 240,
      plugins: [faultPlugin(true), downPlugin(points)],
      scales: {
        x: xScale(),
        cores: { range: function (u, min, max) { return [0, Math.max(1, (max || 0) * 1.1)]; } },
        mib: { range: function (u, min, max) { return [0, max > 0 ? max * 1.1 : 1]; } },
      },
      axes: [
        { label: 'seconds since load start', values: function (u, vals) { return vals.map(function (s) { return s + ' s'; }); } },
        { scale: 'cores', label: 'CPU (cores)', size: 60, values: cores },
        { scale: 'mib', side: 1, label: 'RSS', size: 70, grid: { show: false }, values: mib },
      ],
      series: [
        { label: 't' },
        { label: 'CPU', scale: 'cores', stroke: '#117864', width: 1.5, spanGaps: false,
          value: function (u, x) { return x === null || x === undefined ? '-' : x.toFixed(2) + ' cores'; } },
        { label: 'RSS', scale: 'mib', stroke: '#6c3483', width: 1.5, spanGaps: false,
          value: function (u, x) { return x === null || x === undefined ? '-' : x.toFixed(1) + ' MiB'; } },
      ],
    };
    var data = [vx, points.map(function (p) { return p.cpuCores; }),
      points.map(function (p) { return p.rssBytes === null ? null : p.rssBytes / 1048576; })];
    var plot = new uPlot(opts, data, el);
    window.addEventListener('resize', function () { plot.setSize({ width: Math.max(320, el.clientWidth), height: 240 }); });
  }
  vitals.forEach(function (v, i) { vitalsChart('chart-vitals-' + i, v); });

  chart('chart-errors', 'share of requests', [
    { label: 'error rate (incl. dropped)', color: '#c0392b', data: share(function (p) { return p.errorRate; }) },
    { label: 'dropped iterations', color: '#7d3c98', data: share(function (p, n) { return p.dropped / n; }) },
  ], pct);
})();
