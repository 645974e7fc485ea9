// Videos: the poster becomes a button that, when pressed, puts the host's privacy-enhanced
// player in its place. Until then nothing is loaded from the host. Without this script the
// poster is a link to the video on its host.
(function () {
  document.querySelectorAll('figure[data-video]').forEach(function (figure) {
    var link = figure.querySelector('a.video-poster');
    if (!link) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'video-poster';
    var image = link.querySelector('img');
    if (image) button.appendChild(image.cloneNode(true));
    var label = document.createElement('span');
    label.className = 'video-label';
    label.textContent = figure.getAttribute('data-video-play');
    button.appendChild(label);
    link.replaceWith(button);
    button.addEventListener('click', function () {
      var frame = document.createElement('iframe');
      frame.className = 'video-player';
      frame.src = figure.getAttribute('data-video');
      frame.title = figure.getAttribute('data-video-title');
      frame.allow = 'autoplay; fullscreen; picture-in-picture; encrypted-media';
      frame.allowFullscreen = true;
      // The page sends no referrer anywhere; players refuse to play without knowing where
      // they are embedded, so this one frame is told the site's origin, and no more.
      frame.referrerPolicy = 'strict-origin';
      button.replaceWith(frame);
      frame.focus();
    });
  });
})();
