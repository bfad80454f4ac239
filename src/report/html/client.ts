/**
 * The report's own browser script: builds every chart from the embedded JSON
 * with the shared runtime. A chart that throws is replaced by a visible
 * message (and a console error, which the browser test treats as a failure).
 */
export const CLIENT_JS = String.raw`
(function () {
  var specs = JSON.parse(document.getElementById('isobench-charts').textContent);
  var rt = isobenchChartRuntime();
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
  Chart.defaults.color = '#3b444e';
  var probe = document.createElement('canvas').getContext('2d');
  probe.font = '12px ' + Chart.defaults.font.family;
  var measure = function (t) { return probe.measureText(t).width; };
  specs.forEach(function (spec) {
    var canvas = document.getElementById('chart-' + spec.id);
    if (!canvas) return;
    try {
      new Chart(canvas, rt.hydrate(spec.config, { width: canvas.parentNode.clientWidth, measure: measure }));
      canvas.setAttribute('data-drawn', 'true');
    } catch (e) {
      var p = document.createElement('p');
      p.className = 'chart-error';
      p.textContent = 'This chart could not be drawn: ' + (e && e.message ? e.message : e);
      canvas.parentNode.appendChild(p);
      console.error(e);
    }
  });
})();
`;
