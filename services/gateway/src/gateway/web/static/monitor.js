// The customer monitor (顧客モニタ): tabs that switch without a reload (WAI-ARIA tabs:
// arrow keys, Home, End), Esc clears the lookup field, ↓ from it moves into the pick list.
// Without this script every tab is a link that reloads the page with ?tab=.
(function () {
  "use strict";
  var input = document.getElementById("monitor-q");
  var tabs = Array.prototype.slice.call(document.querySelectorAll('[role="tab"]'));

  function select(tab, focus) {
    tabs.forEach(function (t) {
      var on = t === tab;
      t.setAttribute("aria-selected", on ? "true" : "false");
      t.tabIndex = on ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
    });
    if (focus) tab.focus();
    history.replaceState(null, "", tab.getAttribute("href"));
  }

  tabs.forEach(function (tab, i) {
    tab.addEventListener("click", function (e) { e.preventDefault(); select(tab, true); });
    tab.addEventListener("keydown", function (e) {
      var next = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
      if (next === undefined) return;
      e.preventDefault();
      select(tabs[(next + tabs.length) % tabs.length], true);
    });
  });

  var picks = Array.prototype.slice.call(document.querySelectorAll("#pick-list a"));
  picks.forEach(function (pick, i) {
    pick.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown" && picks[i + 1]) { e.preventDefault(); picks[i + 1].focus(); }
      if (e.key === "ArrowUp") { e.preventDefault(); (picks[i - 1] || input).focus(); }
    });
  });
  if (input) {
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; }
      if (e.key === "ArrowDown" && picks.length) { e.preventDefault(); picks[0].focus(); }
    });
    // autofocus is not honoured after a redirect in every browser; the next call starts here.
    if (document.activeElement !== input) input.focus();
    input.select();
  }
})();
