// The header's 反響 badge: today's inquiries, asked after the page is shown (a slow
// inquiry service never holds a page back; no badge when it does not answer).
(function () {
  var badge = document.getElementById("inquiry-badge");
  if (!badge || !window.fetch) return;
  fetch(badge.dataset.src, { credentials: "same-origin" })
    .then(function (r) { return r.ok ? r.text() : ""; })
    .then(function (text) {
      var n = parseInt(text, 10);
      if (n > 0) {
        badge.textContent = n > 99 ? "99+" : String(n);
        badge.setAttribute("aria-label", "本日の反響 " + n + "件");
        badge.hidden = false;
      }
    })
    .catch(function () {});
})();
