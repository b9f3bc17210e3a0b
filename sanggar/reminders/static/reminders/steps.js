// Reminder builder: drag-and-drop reordering of a sequence's steps, saved without reload (POST JSON to
// data-reorder-url), with up/down buttons as the keyboard-accessible way to do the same.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.getElementById("steps");
  if (!box || !box.dataset.reorderUrl) return;
  const status = document.getElementById("reorder-status");
  const csrf = box.querySelector("[name=csrfmiddlewaretoken]").value;
  const items = () => [...box.querySelectorAll("[data-step]")];
  const renumber = () => items().forEach((el, i) => {
    const n = el.querySelector("[data-step-number]");
    if (n) n.textContent = "#" + (i + 1);
  });
  function save() {
    renumber();
    fetch(box.dataset.reorderUrl, {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify({step_ids: items().map((el) => Number(el.dataset.step))}),
    }).then((r) => r.json().then((data) => {
      status.textContent = r.ok ? box.dataset.savedText : (data.message || box.dataset.errorText);
    })).catch(() => { status.textContent = box.dataset.errorText; });
  }
  let dragged = null;
  items().forEach((el) => {
    el.addEventListener("dragstart", () => { dragged = el; el.classList.add("opacity-50"); });
    el.addEventListener("dragend", () => { el.classList.remove("opacity-50"); });
    el.addEventListener("dragover", (e) => { e.preventDefault(); });
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
    if (!button) return;
    const item = button.closest("[data-step]");
    const up = button.dataset.move === "up";
    const sibling = up ? item.previousElementSibling : item.nextElementSibling;
    if (!sibling || !sibling.hasAttribute("data-step")) return;
    item.parentNode.insertBefore(item, up ? sibling : sibling.nextSibling);
    button.focus();
    save();
  });
});
