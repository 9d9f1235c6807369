/* Lifepage: drag-and-drop reordering of the page's sections on /me/customise.
   An enhancement only: the "Move up" / "Move down" buttons do the same without JavaScript. */
(function () {
  "use strict";
  var list = document.getElementById("widget-order");
  if (!list || !window.fetch || !("draggable" in list)) return;
  var hint = document.getElementById("drag-hint");
  if (hint) { hint.hidden = false; }  // dragging is offered only where it works
  var url = list.getAttribute("data-order-url");
  var token = list.getAttribute("data-csrf");
  var status = document.getElementById("order-status");
  var dragged = null;

  function save() {
    var keys = Array.prototype.map.call(list.children, function (li) { return li.getAttribute("data-key"); });
    var body = new URLSearchParams();
    body.append("csrf_token", token);
    body.append("order", keys.join(","));
    fetch(url, { method: "POST", body: body, credentials: "same-origin" }).then(function (r) {
      if (r.ok) { window.location.reload(); } else if (status) { status.textContent = status.getAttribute("data-failed"); }
    });
  }

  Array.prototype.forEach.call(list.children, function (li) {
    li.setAttribute("draggable", "true");
    li.classList.add("draggable");
    li.addEventListener("dragstart", function (e) {
      dragged = li;
      li.classList.add("dragging");
      e.dataTransfer.effectAllowed = "move";
      e.dataTransfer.setData("text/plain", li.getAttribute("data-key"));
    });
    li.addEventListener("dragend", function () { li.classList.remove("dragging"); });
    li.addEventListener("dragover", function (e) {
      e.preventDefault();
      if (!dragged || dragged === li) return;
      var box = li.getBoundingClientRect();
      list.insertBefore(dragged, e.clientY > box.top + box.height / 2 ? li.nextSibling : li);
    });
    li.addEventListener("drop", function (e) { e.preventDefault(); save(); });
  });
})();
