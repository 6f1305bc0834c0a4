// The view beacon of a proposed property's page (LEAD-1): how long the reader looked and
// whether they liked it, posted with navigator.sendBeacon when the page is left or hidden
// (and at once on a like). One view id per page load: later posts raise its dwell time.
(function () {
  var body = document.body;
  var url = body.dataset.beacon;
  var viewId = (self.crypto && crypto.randomUUID) ? crypto.randomUUID() :
    "10000000-1000-4000-8000-100000000000".replace(/[018]/g, function (c) {
      return (c ^ Math.random() * 16 >> c / 4).toString(16);
    });
  var shown = Date.now(), seen = 0, liked = false;
  function dwell() { return Math.round((seen + (document.hidden ? 0 : Date.now() - shown)) / 1000); }
  function post() {
    var data = JSON.stringify({view_id: viewId, page: "property_detail", property_code: body.dataset.code,
                               property_name: body.dataset.name, dwell_s: dwell(), liked: liked});
    if (navigator.sendBeacon) { navigator.sendBeacon(url, data); }
    else { fetch(url, {method: "POST", body: data, keepalive: true}); }
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { seen += Date.now() - shown; post(); } else { shown = Date.now(); }
  });
  window.addEventListener("pagehide", post);
  var like = document.getElementById("like");
  if (like) {
    like.addEventListener("click", function () {
      liked = true; like.setAttribute("aria-pressed", "true"); like.textContent = "♥ 気になる"; post();
    });
  }
})();
