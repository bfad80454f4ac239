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
 *  - isobenchPointLabels: text beside each point of datasets with dataset.pointLabels[i].
 * Error bars run along y, or along x with dataset.errorBarsAxis = 'x'; the
 * reference line is horizontal, or vertical with axis: 'x'.
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
      var xScale = chart.scales.x;
      chart.data.datasets.forEach(function (ds, di) {
        if (!ds.errorBars || !chart.isDatasetVisible(di)) return;
        var meta = chart.getDatasetMeta(di);
        meta.data.forEach(function (el, i) {
          var eb = ds.errorBars[i];
          if (!eb || eb.lo == null || eb.hi == null || !isFinite(eb.lo) || !isFinite(eb.hi)) return;
          if (ds.errorBarsAxis === 'x') {
            // Horizontal whisker (forest plot): lo..hi along x at the point's row.
            var xLo = xScale.getPixelForValue(Math.max(eb.lo, xScale.min));
            var xHi = xScale.getPixelForValue(Math.min(eb.hi, xScale.max));
            var cap = 4;
            ctx.save();
            ctx.strokeStyle = ds.borderColor || '#1b1f24';
            ctx.lineWidth = 1.6;
            ctx.beginPath();
            ctx.moveTo(xLo, el.y); ctx.lineTo(xHi, el.y);
            ctx.moveTo(xLo, el.y - cap); ctx.lineTo(xLo, el.y + cap);
            ctx.moveTo(xHi, el.y - cap); ctx.lineTo(xHi, el.y + cap);
            ctx.stroke();
            ctx.restore();
            return;
          }
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
      var area = chart.chartArea;
      var ctx = chart.ctx;
      if (opts.axis === 'x') {
        var x = chart.scales.x.getPixelForValue(opts.value);
        if (x < area.left || x > area.right) return;
        ctx.save();
        ctx.strokeStyle = opts.color || '#5f6b7a';
        ctx.setLineDash([6, 4]);
        ctx.lineWidth = 1.2;
        ctx.beginPath(); ctx.moveTo(x, area.top); ctx.lineTo(x, area.bottom); ctx.stroke();
        if (opts.label) {
          ctx.setLineDash([]);
          ctx.fillStyle = opts.color || '#5f6b7a';
          ctx.font = '12px sans-serif';
          ctx.textAlign = x > area.right - 60 ? 'right' : 'left';
          ctx.textBaseline = 'top';
          ctx.fillText(opts.label, x + (ctx.textAlign === 'right' ? -4 : 4), area.top + 2);
        }
        ctx.restore();
        return;
      }
      var y = chart.scales.y.getPixelForValue(opts.value);
      if (y < area.top || y > area.bottom) return;
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
  // Text beside the points of datasets that carry pointLabels (the markers of cells without a figure).
  // A label that would overlap one already drawn, or leave the plot, is left out: the tooltip still has it.
  var pointLabels = {
    id: 'isobenchPointLabels',
    afterDatasetsDraw: function (chart) {
      var ctx = chart.ctx, area = chart.chartArea, drawn = [];
      ctx.save();
      ctx.font = '11px sans-serif';
      ctx.fillStyle = '#3b444e';
      ctx.textBaseline = 'middle';
      chart.data.datasets.forEach(function (ds, di) {
        if (!ds.pointLabels || !chart.isDatasetVisible(di)) return;
        chart.getDatasetMeta(di).data.forEach(function (el, i) {
          var text = ds.pointLabels[i];
          if (!text) return;
          var w = ctx.measureText(text).width, h = 12;
          var x = el.x + 9, y = el.y;
          if (x + w > area.right) x = el.x - 9 - w;
          if (x < area.left) return;
          var box = { l: x, r: x + w, t: y - h / 2, b: y + h / 2 };
          if (drawn.some(function (o) { return box.l < o.r && box.r > o.l && box.t < o.b && box.b > o.t; })) return;
          drawn.push(box);
          ctx.fillText(text, x, y);
        });
      });
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
  // env: { width: px the chart will get, measure: text -> px at the tick font } (both optional).
  function hydrate(cfg, env) {
    cfg.plugins = [errorBars, refLine, boxes, pointLabels];
    var meta = (cfg.options && cfg.options.isobench) || {};
    if (meta.categories) {
      var cats = meta.categories;
      var catAxis = cfg.options.scales[meta.categoriesAxis || 'x'];
      // chart.js decides label rotation before the y axis has taken its width, so on a
      // narrow screen it keeps labels level that then overlap: decide it here from the
      // real width (minus ~70 px for the value axis) and the widest label line.
      if ((meta.categoriesAxis || 'x') === 'x' && env && env.width) {
        var measure = env.measure || function (t) { return t.length * 7; };
        var widest = 0, lines = 1;
        cats.forEach(function (c) {
          var ls = [].concat(c);
          lines = Math.max(lines, ls.length);
          ls.forEach(function (l) { widest = Math.max(widest, measure(String(l))); });
        });
        var spacing = (env.width - 70) / cats.length;
        if (widest + 8 > spacing) {
          var lineH = 15 * lines + 4;
          catAxis.ticks.minRotation = lineH / Math.sin(Math.PI / 4) < spacing ? 45 : 90;
          catAxis.ticks.maxRotation = 90;
        }
      }
      // One tick per category at integer positions (the points are jittered or dodged around it).
      catAxis.afterBuildTicks = function (scale) {
        scale.ticks = cats.map(function (_, i) { return { value: i }; });
      };
      catAxis.ticks.callback = function (v) {
        return cats[Math.round(v)] != null ? cats[Math.round(v)] : '';
      };
    }
    if (meta.valueSuffix != null) {
      var suffix = meta.valueSuffix;
      var valueAxis = cfg.options.scales[meta.valueAxis || 'y'];
      valueAxis.ticks.callback = function (v) {
        var a = Math.abs(v);
        var s = a >= 1000 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(3)));
        // Over less than a decade every log tick is readable; over more, 1-2-5 per decade,
        // or only the powers of ten when a decade is too short on screen (a phone) for three labels.
        if (valueAxis.type === 'logarithmic' && !(this && this.max / this.min < 10)) {
          var mant = Math.round(a / Math.pow(10, Math.floor(Math.log10(a) + 1e-9)) * 1000) / 1000;
          var span = this ? (this.isHorizontal() ? this.width : this.height) : 0;
          var perDecade = this && span ? span / Math.log10(this.max / this.min) : 1000;
          var room = this && this.isHorizontal() ? 150 : 60;
          if (perDecade < room ? mant !== 1 : mant !== 1 && mant !== 2 && mant !== 5) return '';
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
  return { plugins: [errorBars, refLine, boxes, pointLabels], hydrate: hydrate };
}
`;
