// FAQ while on the phone (issue 14): the picker beside the interaction form searches without
// leaving the page and pastes a chosen answer into the 対応内容. Without this script the
// search opens the FAQ page in a new tab, from which the answer can be copied.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-faq-picker]"), function (form) {
    var results = form.querySelector(".faq-results");
    var target = document.getElementById(form.getAttribute("data-target"));
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var q = form.querySelector("input[name=q]").value;
      fetch("/faq/snippets?q=" + encodeURIComponent(q), { credentials: "same-origin" })
        .then(function (r) { return r.text(); })
        .then(function (html) { results.innerHTML = html; })
        .catch(function () { results.textContent = "FAQを検索できませんでした。もう一度お試しください。"; });
    });
    results.addEventListener("click", function (e) {
      var button = e.target.closest("[data-paste]");
      if (!button || !target) return;
      var answer = button.closest(".faq-hit").querySelector(".answer").textContent;
      target.value = target.value ? target.value.replace(/\s*$/, "") + "\n" + answer : answer;
      target.focus();
    });
  });
})();
