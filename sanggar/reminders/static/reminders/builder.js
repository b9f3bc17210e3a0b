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

  // The email body's rich-text editor (catalog's, an Alpine component): shown only with JavaScript; the textarea
  // keeps the editor's plain text (the server takes the HTML when email_rich is "1").
  var rich = form.querySelector("[data-rich-body]");
  var plainBox = form.querySelector("[data-plain-body]");
  var richFlag = form.querySelector("[name=email_rich]");
  var editor = rich && rich.querySelector("[data-richtext-editor]");
  if (rich && plainBox && richFlag && editor && document.execCommand) {
    var plain = plainBox.querySelector("textarea");
    rich.hidden = false;
    plainBox.hidden = true;
    richFlag.value = "1";
    editor.addEventListener("input", function () { if (plain) plain.value = editor.innerText.trim(); });
  }

  // Shortcode buttons: insert `{code}` at the caret of the last content field used (the email editor by default).
  var codes = form.querySelector("[data-shortcode-buttons]");
  var lastField = editor || null;
  var savedRange = null;
  form.addEventListener("focusin", function (e) {
    var el = e.target;
    if (el === editor || (el.matches && el.matches("#konten textarea, #konten input[type=text], #dasar textarea, #dasar input[type=text]"))) lastField = el;
  });
  if (editor) {
    editor.addEventListener("blur", function () {
      var sel = window.getSelection();
      if (sel && sel.rangeCount && editor.contains(sel.anchorNode)) savedRange = sel.getRangeAt(0).cloneRange();
    });
  }
  if (codes) {
    codes.hidden = false;
    codes.addEventListener("mousedown", function (e) { if (e.target.closest("[data-shortcode]")) e.preventDefault(); });
    codes.addEventListener("click", function (e) {
      var button = e.target.closest("[data-shortcode]");
      if (!button || !lastField) return;
      var code = button.getAttribute("data-shortcode");
      if (lastField === editor) {
        editor.focus();
        var sel = window.getSelection();
        if (savedRange) { sel.removeAllRanges(); sel.addRange(savedRange); }
        if (!document.execCommand("insertText", false, code)) {
          editor.appendChild(document.createTextNode(code));
          editor.dispatchEvent(new Event("input", { bubbles: true }));
        }
        if (sel.rangeCount) savedRange = sel.getRangeAt(0).cloneRange();
      } else {
        var start = lastField.selectionStart == null ? lastField.value.length : lastField.selectionStart;
        var end = lastField.selectionEnd == null ? start : lastField.selectionEnd;
        lastField.setRangeText(code, start, end, "end");
        lastField.focus();
        lastField.dispatchEvent(new Event("input", { bubbles: true }));
      }
    });
  }

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
