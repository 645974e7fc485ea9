// "Share image": hands a chart's PNG to the device's share sheet (the only way from the web
// into Instagram). The button stays hidden unless the browser can share files, so without
// JavaScript, or without the Web Share API, nothing changes.
(function () {
  if (!navigator.canShare || !window.fetch || !window.File) return;
  document.querySelectorAll('button[data-share-image]').forEach(function (button) {
    var probe = new File([''], 'chart.png', { type: 'image/png' });
    if (!navigator.canShare({ files: [probe] })) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      var url = button.getAttribute('data-share-image');
      fetch(url)
        .then(function (response) { return response.blob(); })
        .then(function (blob) {
          var file = new File([blob], url.split('/').pop(), { type: 'image/png' });
          return navigator.share({ files: [file], title: button.getAttribute('data-title') });
        })
        .catch(function () { /* The reader closed the share sheet. */ });
    });
  });
})();
