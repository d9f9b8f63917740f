/* The question finder. The full list is already on the page; this only hides what does not
   match the words, theme and tag chosen. Labels come from data attributes. */
(function () {
  "use strict";
  var form = document.querySelector("form.finder");
  var count = document.querySelector(".finder-count");
  if (!form || !count || !document.querySelectorAll) { return; }
  var items = Array.prototype.slice.call(document.querySelectorAll(".finder-item"));
  var sections = Array.prototype.slice.call(document.querySelectorAll(".finder-theme"));

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var haystacks = items.map(function (item) {
    var parts = item.querySelectorAll(".text, .follow-ups li");
    var text = Array.prototype.map.call(parts, function (p) { return p.textContent; }).join(" ");
    return fold(text + " " + item.getAttribute("data-tags"));
  });

  function update() {
    var words = fold(form.elements.words.value).split(/\s+/).filter(Boolean);
    var theme = form.elements.theme.value;
    var tag = form.elements.tag.value;
    var shown = 0;
    items.forEach(function (item, i) {
      var tags = item.getAttribute("data-tags").split(" ");
      var match = (!theme || item.getAttribute("data-theme") === theme) &&
        (!tag || tags.indexOf(tag) !== -1) &&
        words.every(function (w) { return haystacks[i].indexOf(w) !== -1; });
      item.hidden = !match;
      if (match) { shown += 1; }
    });
    sections.forEach(function (section) {
      section.hidden = !section.querySelector(".finder-item:not([hidden])");
    });
    var label = count.getAttribute("data-shown-label")
      .replace("{shown}", String(shown)).replace("{count}", count.getAttribute("data-total"));
    count.textContent = shown ? label : label + " " + count.getAttribute("data-no-match");
  }

  form.addEventListener("input", update);
  form.addEventListener("change", update);
  form.addEventListener("submit", function (event) { event.preventDefault(); update(); });
  form.hidden = false;
}());
