// soapbox embed page: tells the page that frames this chart how tall it is (on load, on
// resize, when details open, and when asked), so that the embed script there (embed.js)
// sizes the frame to fit.
(function () {
  var id = document.body.getAttribute('data-embed');
  if (window.parent === window || !id) return;
  var last = 0;
  function send(again) {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === last && !again) return;
    last = height;
    window.parent.postMessage({ 'soapbox-embed-height': { id: id, height: height } }, '*');
  }
  window.addEventListener('load', function () { send(true); });
  window.addEventListener('resize', function () { send(); });
  document.addEventListener('toggle', function () { send(); }, true);
  window.addEventListener('message', function (event) {
    if (event.source === window.parent && event.data && event.data['soapbox-embed-ask']) send(true);
  });
  if (window.ResizeObserver) new ResizeObserver(function () { send(); }).observe(document.body);
  send(true);
})();
