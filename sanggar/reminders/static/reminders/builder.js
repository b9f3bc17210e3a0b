// Reminder builder: tabs inside the step form (without this script every section shows) and the live preview,
// which posts the form as typed to the server (rendered and escaped there) a moment after the last keystroke.
(function () {
  "use strict";
  var form = document.getElementById("step-form");
  if (!form) return;
  var tabs = form.querySelectorAll("[data-builder-tabs] [data-tab]");
  var panels = form.querySelectorAll("[data-panel]");
  function show(name) {
    panels.forEach(function (p) { p.hidden = p.getAttribute("data-panel") !== name; });
    tabs.forEach(function (t) { t.classList.toggle("tab-active", t.getAttribute("data-tab") === name); });
  }
  tabs.forEach(function (t) {
    t.addEventListener("click", function (e) { e.preventDefault(); show(t.getAttribute("data-tab")); });
  });
  var firstError = form.querySelector("[data-panel] .text-red-700, [data-panel] [aria-invalid='true']");
  var errorPanel = firstError && firstError.closest("[data-panel]");
  show(errorPanel ? errorPanel.getAttribute("data-panel") : "dasar");

  var target = document.getElementById("step-preview");
  var url = form.getAttribute("data-preview-url");
  var timer = null;
  var seq = 0;
  function refresh() {
    var mine = ++seq;
    fetch(url, { method: "POST", body: new FormData(form), credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.text(); })
      .then(function (html) { if (mine === seq) target.innerHTML = html; })
      .catch(function () {});
  }
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
