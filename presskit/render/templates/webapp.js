/* A published site: register the service worker (sw.js at the site's root) that keeps the
   portal, the one-pagers and the PDFs for offline use, and, when this page is the copy it
   kept (offline, or the network too slow), say how old the copy is. Settings come from this
   script element's data attributes; the page is complete without any of it. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !("serviceWorker" in navigator) || !/^https?:$/.test(location.protocol)) {
    return;
  }
  var workers = navigator.serviceWorker;
  workers.register(script.getAttribute("data-service-worker"), {
    scope: script.getAttribute("data-scope")
  }).catch(function () { /* no worker: the page still works online */ });
  var label = script.getAttribute("data-saved-copy");

  function show(saved) {
    var lang = document.documentElement.lang || undefined;
    var days = Math.max(0, Math.floor((Date.now() - saved) / 86400000));
    var text = label
      .replace("{date}", new Intl.DateTimeFormat(lang, {dateStyle: "long"}).format(new Date(saved)))
      .replace("{ago}", new Intl.RelativeTimeFormat(lang, {numeric: "auto"}).format(-days, "day"));
    var notice = document.createElement("p");
    notice.className = "saved-copy";
    notice.setAttribute("role", "status");
    notice.textContent = text;
    var skip = document.querySelector("body > a.skip");
    document.body.insertBefore(notice, skip ? skip.nextSibling : document.body.firstChild);
  }

  function ask() {
    var worker = workers.controller;
    if (!worker || typeof MessageChannel === "undefined") { return; }
    var channel = new MessageChannel();
    channel.port1.onmessage = function (event) {
      var answer = event.data || {};
      if (answer.saved && (answer.stale || navigator.onLine === false)) { show(answer.saved); }
    };
    worker.postMessage({type: "presskit-saved", url: location.href}, [channel.port2]);
  }
  ask();
})();
