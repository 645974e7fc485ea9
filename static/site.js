// Small improvements; without JavaScript, every link and page works as it is.
(function () {
  // Quick exit: leave for a neutral page without leaving this site in the history, on a
  // click or on pressing Shift three times.
  var exit = document.querySelector('a[data-quick-exit]');
  if (exit) {
    var leave = function (event) {
      if (event) event.preventDefault();
      document.body.style.display = 'none';
      window.location.replace(exit.href);
    };
    exit.addEventListener('click', leave);
    var presses = [];
    document.addEventListener('keydown', function (event) {
      if (event.key !== 'Shift') return;
      var now = Date.now();
      presses = presses.filter(function (t) { return now - t < 1000; });
      presses.push(now);
      if (presses.length >= 3) leave();
    });
  }

  // The menu on a phone: a Menu button opens and closes it; on a wider screen, or without
  // JavaScript, the whole menu shows.
  var menu = document.getElementById('site-menu');
  if (menu && window.matchMedia) {
    var toggle = document.createElement('button');
    toggle.type = 'button';
    toggle.className = 'menu-toggle';
    toggle.textContent = 'Menu';
    toggle.setAttribute('aria-controls', 'site-menu');
    menu.parentNode.insertBefore(toggle, menu);
    var narrow = window.matchMedia('(max-width: 40em)');
    var show = function (open) {
      toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
      menu.hidden = !open;
    };
    toggle.addEventListener('click', function () { show(menu.hidden); });
    var fit = function () { show(!narrow.matches); };
    if (narrow.addEventListener) narrow.addEventListener('change', fit);
    fit();
  }

  // Letters: "Copy the letter" puts its text on the clipboard, where the browser allows it.
  if (navigator.clipboard && navigator.clipboard.writeText) {
    document.querySelectorAll('button[data-copy]').forEach(function (button) {
      var text = document.getElementById(button.getAttribute('data-copy'));
      if (!text) return;
      button.hidden = false;
      button.addEventListener('click', function () {
        navigator.clipboard.writeText(text.innerText).then(function () {
          button.textContent = 'Copied';
        }, function () {
          button.textContent = 'Select the letter and copy it';
        });
      });
    });
  }

  // Tables wider than their column say that they scroll (see .table-wrap.scrolls in the
  // stylesheet), and stop fading their edge once scrolled to the end.
  var mark = function (wrap) {
    var more = wrap.scrollWidth - wrap.clientWidth;
    wrap.classList.toggle('scrolls', more > 1);
    wrap.classList.toggle('at-end', more > 1 && wrap.scrollLeft >= more - 1);
  };
  document.querySelectorAll('.table-wrap').forEach(function (wrap) {
    wrap.addEventListener('scroll', function () { mark(wrap); }, { passive: true });
    if (window.ResizeObserver) new ResizeObserver(function () { mark(wrap); }).observe(wrap);
    else mark(wrap);
  });

  // "Share image": hands a chart's PNG to the device's share sheet (the only way from the
  // web into Instagram). The button stays hidden unless the browser can share files.
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
