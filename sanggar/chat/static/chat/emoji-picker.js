/* The built-in emoji picker ({% emoji_picker "<textarea id>" %}): a tap inserts the emoji at the caret of the
   textarea the picker names in data-emoji-target and keeps the picker open for the next one. No inline handlers
   (CSP nonce-only); a picker without a target is left to its page's own script. */
(function () {
  "use strict";
  function insert(ta, text) {
    var start = typeof ta.selectionStart === "number" ? ta.selectionStart : ta.value.length;
    var end = typeof ta.selectionEnd === "number" ? ta.selectionEnd : start;
    ta.value = ta.value.slice(0, start) + text + ta.value.slice(end);
    ta.selectionStart = ta.selectionEnd = start + text.length;
    ta.focus();
    ta.dispatchEvent(new Event("input", {bubbles: true}));
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-emoji-picker][data-emoji-target] button[data-emoji]");
    if (!button) { return; }
    var picker = button.closest("[data-emoji-picker]");
    var ta = document.getElementById(picker.dataset.emojiTarget);
    if (ta) { e.preventDefault(); insert(ta, button.dataset.emoji); }
  });
})();
