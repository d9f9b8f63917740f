/* Adds a "Copy" button to every question. Progressive enhancement: without scripts (or without
   a clipboard) the page is the same minus the buttons. Labels come from data attributes on
   <main>, so this file holds no text of its own. */
(function () {
  "use strict";
  var main = document.querySelector("main[data-copy]");
  var status = document.querySelector(".copy-status");
  if (!main || !status || !document.querySelectorAll) { return; }

  function viaSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var done = false;
    try { done = document.execCommand("copy"); } catch (e) { done = false; }
    document.body.removeChild(area);
    return done ? Promise.resolve() : Promise.reject(new Error("copy refused"));
  }

  function copy(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).catch(function () { return viaSelection(text); });
    }
    return viaSelection(text);
  }

  var items = document.querySelectorAll("li.question[id]");
  Array.prototype.forEach.call(items, function (item) {
    var line = item.querySelector(".text");
    var num = line && line.querySelector(".num");
    if (!line) { return; }
    var text = line.textContent.replace(num ? num.textContent : "", "").trim();
    var number = item.getAttribute("data-number") || "";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = main.getAttribute("data-copy");
    button.setAttribute("aria-label", main.getAttribute("data-copy-question").replace("{number}", number));
    button.addEventListener("click", function () {
      copy(text).then(function () {
        button.textContent = main.getAttribute("data-copied");
        status.textContent = main.getAttribute("data-copied") + ": " + text;
        window.setTimeout(function () { button.textContent = main.getAttribute("data-copy"); }, 2000);
      }, function () {
        status.textContent = main.getAttribute("data-copy-failed");
      });
    });
    line.insertAdjacentElement("afterend", button);
  });
}());
