/* 予定を追加: show the fields of the chosen kind and, for a salon reservation, the end that
   follows from the menu's duration. The form works without this script (all fields shown;
   the server ignores the ones of other kinds). */
(function () {
  var form = document.getElementById("visit-form");
  if (!form) return;
  var kind = form.querySelector("#kind");
  var menu = form.querySelector("#menu_id");
  var start = form.querySelector("#start");
  var out = document.getElementById("salon-end");
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function sync() {
    form.querySelectorAll(".kind-part").forEach(function (part) {
      var on = part.getAttribute("data-kinds").split(" ").indexOf(kind.value) >= 0;
      part.hidden = !on;
      part.querySelectorAll("input, select").forEach(function (el) { el.disabled = !on; });
    });
    var end = form.querySelector("#end");
    if (end) end.required = kind.value !== "salon";
    if (menu && out && start.value && menu.selectedIndex >= 0) {
      var minutes = parseInt(menu.options[menu.selectedIndex].getAttribute("data-minutes"), 10);
      var parts = start.value.split(":");
      var total = parseInt(parts[0], 10) * 60 + parseInt(parts[1], 10) + minutes;
      out.textContent = pad(Math.floor(total / 60) % 24) + ":" + pad(total % 60) +
        "（メニューの所要時間から自動で決まります）";
    }
  }
  [kind, menu, start].forEach(function (el) { if (el) el.addEventListener("change", sync); });
  if (start) start.addEventListener("input", sync);
  sync();
})();
