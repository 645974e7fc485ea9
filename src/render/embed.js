// soapbox embed resizer: pasted after a chart's <iframe> on other sites, loaded from the
// campaign's own site. Each embed page reports its height; this sets the height of the
// iframe that sent it, so a chart never loses its source line or its link back.
// It acts only on messages from this script's own site, and only on iframes of it.
(function () {
  var script = document.currentScript;
  if (!script || !window.postMessage) return;
  var origin = new URL(script.src, location.href).origin;
  var flag = 'soapboxEmbeds ' + origin;
  if (window[flag]) { ask(); return; }
  window[flag] = true;

  function frames() {
    return Array.prototype.filter.call(document.querySelectorAll('iframe[data-soapbox-embed]'), function (frame) {
      try { return new URL(frame.src, location.href).origin === origin; } catch (e) { return false; }
    });
  }

  // An embed page may have loaded before this script: ask each one for its height again.
  function ask() {
    frames().forEach(function (frame) {
      if (frame.contentWindow) frame.contentWindow.postMessage({ 'soapbox-embed-ask': true }, origin);
    });
  }

  window.addEventListener('message', function (event) {
    if (event.origin !== origin || !event.data || typeof event.data !== 'object') return;
    var said = event.data['soapbox-embed-height'];
    if (!said || typeof said.id !== 'string' || typeof said.height !== 'number') return;
    var height = Math.ceil(said.height);
    if (!(height > 0 && height < 20000)) return;
    frames().forEach(function (frame) {
      if (frame.getAttribute('data-soapbox-embed') === said.id && frame.contentWindow === event.source) {
        frame.style.height = height + 'px';
      }
    });
  });
  ask();
  document.addEventListener('DOMContentLoaded', ask);
})();
