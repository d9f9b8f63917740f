/* The question finder, and copying or sharing an event's questions. The full lists are already
   on the page; this only hides what does not match the words, theme and tag chosen (opening
   the folded list when a filter is set), and shows the copy and share buttons. Labels come
   from data attributes, so this file holds no text of its own. */
(function () {
  "use strict";
  if (!document.querySelectorAll || !"".normalize) { return; }

  /* Text as the finder compares it: no accents, case, apostrophes or punctuation; one space
     between words ("Time's Up" -> "times up", "#MeToo" -> "metoo", "Café" -> "cafe"). */
  function fold(text) {
    return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
      .replace(/[^\p{L}\p{N}\s]/gu, "").replace(/\s+/g, " ").trim();
  }

  function finder() {
    var form = document.querySelector("form.finder");
    var count = document.querySelector(".finder-count");
    var results = document.querySelector("details.finder-results");
    if (!form || !count) { return; }
    var items = Array.prototype.slice.call(document.querySelectorAll(".finder-item"));
    var sections = Array.prototype.slice.call(document.querySelectorAll(".finder-theme"));
    var haystacks = items.map(function (item) {
      var parts = item.querySelectorAll(".text, .follow-ups li");
      var text = Array.prototype.map.call(parts, function (p) { return p.textContent; }).join(" ");
      return fold(text + " " + item.getAttribute("data-tags").replace(/-/g, " "));
    });
    /* the same without spaces, so "metoo" finds "me too" and "timesup" finds "Time's Up" */
    var compact = haystacks.map(function (h) { return h.replace(/ /g, ""); });
    var opened = false;

    function update() {
      var query = fold(form.elements.words.value);
      var words = query.split(" ").filter(Boolean);
      var whole = query.replace(/ /g, "");
      var theme = form.elements.theme.value;
      var tag = form.elements.tag.value;
      var shown = 0;
      items.forEach(function (item, i) {
        var tags = item.getAttribute("data-tags").split(" ");
        var said = words.every(function (w) {
          return haystacks[i].indexOf(w) !== -1 || compact[i].indexOf(w) !== -1;
        }) || compact[i].indexOf(whole) !== -1;
        var match = (!theme || item.getAttribute("data-theme") === theme) &&
          (!tag || tags.indexOf(tag) !== -1) && said;
        item.hidden = !match;
        if (match) { shown += 1; }
      });
      sections.forEach(function (section) {
        section.hidden = !section.querySelector(".finder-item:not([hidden])");
      });
      var label = count.getAttribute("data-shown-label")
        .replace("{shown}", String(shown)).replace("{count}", count.getAttribute("data-total"));
      count.textContent = shown ? label : label + " " + count.getAttribute("data-no-match");
      if (results) {
        var filtering = Boolean(whole || theme || tag);
        if (filtering && !results.open) { results.open = true; opened = true; }
        if (!filtering && opened) { results.open = false; opened = false; }
      }
    }

    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
    form.hidden = false;
  }

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

  function actions() {
    var section = document.querySelector(".events-section[data-copied]");
    var status = section && section.querySelector(".copy-status");
    if (!section || !status) { return; }
    Array.prototype.forEach.call(document.querySelectorAll(".event-actions"), function (box) {
      var name = box.getAttribute("data-name");
      var text = box.getAttribute("data-questions");
      var copyAll = box.querySelector("button.copy-all");
      var share = box.querySelector("button.share");
      copyAll.addEventListener("click", function () {
        copy(text).then(function () {
          status.textContent = section.getAttribute("data-copied").replace("{name}", name);
        }, function () {
          status.textContent = section.getAttribute("data-copy-failed");
        });
      });
      if (share && typeof navigator.share === "function") {
        share.addEventListener("click", function () {
          /* a dismissed share sheet rejects: nothing to report */
          navigator.share({ title: name, text: text }).catch(function () { return null; });
        });
        share.hidden = false;
      }
      box.hidden = false;
    });
  }

  finder();
  actions();
}());
