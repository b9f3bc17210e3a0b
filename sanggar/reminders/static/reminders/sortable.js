// Reminders: drag-and-drop reordering saved without reload (POST JSON to data-reorder-url), the same way as the
// course editor's lessons, with the up/down buttons as the keyboard way. Used by a sequence's steps
// (data-sortable="step": items [data-step], body {"step_ids": [...]}) and by the sequences of a plan's / product's
// "Reminder" tab (data-sortable="sequence": items [data-sequence], body {"sequence_ids": [...]}). Without this
// script the up/down buttons are plain forms that move one place and reload.
(function () {
  "use strict";
  function setUp(box) {
    const kind = box.dataset.sortable;
    const attr = "data-" + kind;
    const status = document.getElementById(box.dataset.status || "reorder-status");
    const csrf = box.querySelector("[name=csrfmiddlewaretoken]").value;
    const items = () => [...box.querySelectorAll("[" + attr + "]")];
    const refresh = () => items().forEach((el, i, all) => {
      const n = el.querySelector("[" + attr + "-number]");
      if (n) n.textContent = "#" + (i + 1);
      const up = el.querySelector("[data-move=up]");
      const down = el.querySelector("[data-move=down]");
      if (up) up.disabled = i === 0;
      if (down) down.disabled = i === all.length - 1;
    });
    function save() {
      refresh();
      const body = {};
      body[kind + "_ids"] = items().map((el) => Number(el.getAttribute(attr)));
      if (status) status.textContent = "";
      fetch(box.dataset.reorderUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
        body: JSON.stringify(body),
      }).then((r) => r.json().then((data) => {
        if (status) status.textContent = r.ok ? box.dataset.savedText : (data.message || box.dataset.errorText);
      })).catch(() => { if (status) status.textContent = box.dataset.errorText; });
    }
    refresh();
    let dragged = null;
    items().forEach((el) => {
      el.setAttribute("draggable", "true");
      el.addEventListener("dragstart", (e) => {
        dragged = el;
        el.classList.add("opacity-50");
        if (e.dataTransfer) { e.dataTransfer.effectAllowed = "move"; e.dataTransfer.setData("text/plain", el.getAttribute(attr)); }
      });
      el.addEventListener("dragend", () => { el.classList.remove("opacity-50"); dragged = null; });
      el.addEventListener("dragover", (e) => { if (dragged) e.preventDefault(); });
      el.addEventListener("drop", (e) => {
        e.preventDefault();
        if (!dragged || dragged === el) return;
        const after = e.clientY > el.getBoundingClientRect().top + el.offsetHeight / 2;
        el.parentNode.insertBefore(dragged, after ? el.nextSibling : el);
        save();
      });
    });
    box.addEventListener("click", (e) => {
      const button = e.target.closest("[data-move]");
      if (!button || !box.contains(button)) return;
      e.preventDefault();  // a form's up/down button: moved here, no reload
      const item = button.closest("[" + attr + "]");
      const up = button.dataset.move === "up";
      const sibling = up ? item.previousElementSibling : item.nextElementSibling;
      if (!sibling || !sibling.hasAttribute(attr)) return;
      item.parentNode.insertBefore(item, up ? sibling : sibling.nextSibling);
      refresh();
      if (!button.disabled) button.focus(); else item.querySelector("[data-move]:not([disabled])")?.focus();
      save();
    });
  }
  function start() {
    document.querySelectorAll("[data-sortable][data-reorder-url]").forEach(setUp);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start); else start();
})();
