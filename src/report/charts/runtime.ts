/**
 * The chart runtime shared by the HTML report (embedded in a <script>) and the
 * PNG charts (evaluated in Node for chartjs-node-canvas): custom plugins and
 * the callbacks a JSON config cannot carry. Kept as plain ES2019 source in a
 * string so that the browser and the PNGs draw with exactly the same code.
 *
 * Plugins (options under options.plugins.<id>):
 *  - isobenchErrorBars: whiskers from dataset.errorBars[i] = {lo, hi} (chart.js has none built in).
 *  - isobenchRefLine:   a dashed horizontal line at options.plugins.isobenchRefLine.value with a label.
 *  - isobenchBoxes:     box (q1..q3) + median line per category from options.plugins.isobenchBoxes.boxes.
 * hydrate(cfg) adds those plugins, category tick labels for the strip plot
 * (options.isobench.categories) and tooltip texts (dataset.tooltipText[i]).
 */
export const CHART_RUNTIME_JS = String.raw`
function isobenchChartRuntime() {
  var errorBars = {
    id: 'isobenchErrorBars',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx;
      var yScale = chart.scales.y;
      chart.data.datasets.forEach(function (ds, di) {
        if (!ds.errorBars || !chart.isDatasetVisible(di)) return;
        var meta = chart.getDatasetMeta(di);
        meta.data.forEach(function (el, i) {
          var eb = ds.errorBars[i];
          if (!eb || eb.lo == null || eb.hi == null || !isFinite(eb.lo) || !isFinite(eb.hi)) return;
          var x = el.x;
          var yLo = yScale.getPixelForValue(Math.max(eb.lo, yScale.min));
          var yHi = yScale.getPixelForValue(Math.min(eb.hi, yScale.max));
          var half = Math.max(3, Math.min((el.width || 12) * 0.3, 8));
          ctx.save();
          ctx.strokeStyle = '#1b1f24';
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(x, yLo); ctx.lineTo(x, yHi);
          ctx.moveTo(x - half, yLo); ctx.lineTo(x + half, yLo);
          ctx.moveTo(x - half, yHi); ctx.lineTo(x + half, yHi);
          ctx.stroke();
          ctx.restore();
        });
      });
    }
  };
  var refLine = {
    id: 'isobenchRefLine',
    afterDatasetsDraw: function (chart, args, opts) {
      if (!opts || opts.value == null) return;
      var y = chart.scales.y.getPixelForValue(opts.value);
      var area = chart.chartArea;
      if (y < area.top || y > area.bottom) return;
      var ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = opts.color || '#5f6b7a';
      ctx.setLineDash([6, 4]);
      ctx.lineWidth = 1.2;
      ctx.beginPath(); ctx.moveTo(area.left, y); ctx.lineTo(area.right, y); ctx.stroke();
      if (opts.label) {
        ctx.setLineDash([]);
        ctx.fillStyle = opts.color || '#5f6b7a';
        ctx.font = '12px sans-serif';
        ctx.textAlign = 'right';
        ctx.textBaseline = 'bottom';
        ctx.fillText(opts.label, area.right - 4, y - 3);
      }
      ctx.restore();
    }
  };
  var boxes = {
    id: 'isobenchBoxes',
    beforeDatasetsDraw: function (chart, args, opts) {
      if (!opts || !opts.boxes) return;
      var ctx = chart.ctx, xs = chart.scales.x, ys = chart.scales.y;
      var unit = Math.abs(xs.getPixelForValue(1) - xs.getPixelForValue(0));
      var half = Math.min(unit * 0.32, 60);
      opts.boxes.forEach(function (b) {
        if (b == null || b.median == null) return;
        var x = xs.getPixelForValue(b.x);
        var top = ys.getPixelForValue(b.q3), bottom = ys.getPixelForValue(b.q1), mid = ys.getPixelForValue(b.median);
        ctx.save();
        ctx.fillStyle = b.fill || 'rgba(0,0,0,0.06)';
        ctx.strokeStyle = b.stroke || '#1b1f24';
        ctx.lineWidth = 1;
        ctx.fillRect(x - half, top, 2 * half, bottom - top);
        ctx.strokeRect(x - half, top, 2 * half, bottom - top);
        ctx.lineWidth = 2.5;
        ctx.beginPath(); ctx.moveTo(x - half, mid); ctx.lineTo(x + half, mid); ctx.stroke();
        ctx.restore();
      });
    }
  };
  function hydrate(cfg) {
    cfg.plugins = [errorBars, refLine, boxes];
    var meta = (cfg.options && cfg.options.isobench) || {};
    if (meta.categories) {
      var cats = meta.categories;
      // One tick per category at integer x (the points are jittered around it).
      cfg.options.scales.x.afterBuildTicks = function (scale) {
        scale.ticks = cats.map(function (_, i) { return { value: i }; });
      };
      cfg.options.scales.x.ticks.callback = function (v) {
        return cats[Math.round(v)] != null ? cats[Math.round(v)] : '';
      };
    }
    if (meta.valueSuffix != null) {
      var suffix = meta.valueSuffix;
      cfg.options.scales.y.ticks.callback = function (v) {
        var a = Math.abs(v);
        var s = a >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3)));
        if (cfg.options.scales.y.type === 'logarithmic') {
          var l = Math.log10(a);
          if (Math.abs(l - Math.round(l)) > 1e-9 && String(a)[0] !== '2' && String(a)[0] !== '5') return '';
        }
        return s + suffix;
      };
    }
    cfg.options.plugins = cfg.options.plugins || {};
    cfg.options.plugins.tooltip = cfg.options.plugins.tooltip || {};
    cfg.options.plugins.tooltip.callbacks = {
      label: function (ctx) {
        var t = ctx.dataset.tooltipText && ctx.dataset.tooltipText[ctx.dataIndex];
        return t != null ? t : ctx.dataset.label + ': ' + ctx.formattedValue;
      }
    };
    return cfg;
  }
  return { plugins: [errorBars, refLine, boxes], hydrate: hydrate };
}
`;
