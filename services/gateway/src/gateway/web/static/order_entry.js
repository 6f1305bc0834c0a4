// 受注入力: the live totals and the keyboard. Without this script the form works the same
// way through the server: Enter presses its first button (行を追加して金額を計算), which
// shows one more row and the orders service's quote; 受注する places.
// With it: Enter in a quantity adds a row (or moves to the next) without a reload, Enter in
// a code moves to its quantity, and the quote is asked again whenever a field is changed.
(function () {
  "use strict";
  var form = document.getElementById("order-form");
  if (!form) return;
  var lines = document.getElementById("order-lines");
  var quote = document.getElementById("order-quote");
  var codes = document.getElementById("product-codes");
  var pending = null, asked = 0;

  function refresh() {
    clearTimeout(pending);
    pending = setTimeout(function () {
      var mine = ++asked;
      var body = new URLSearchParams(new FormData(form));
      fetch(form.dataset.quote, { method: "POST", body: body, credentials: "same-origin",
                                  headers: { "Accept": "text/html" } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null && mine === asked) quote.innerHTML = html; })
        .catch(function () { /* the 金額を計算 button still works */ });
    }, 150);
  }

  function nameOf(input) {  // what the typed code is, from the page's own list
    var out = document.getElementById("name_" + input.id.split("_")[1]);
    var key = input.value.normalize("NFKC").trim().toLowerCase();
    var found = Array.prototype.find.call(codes.options, function (o) {
      return o.value.normalize("NFKC").trim().toLowerCase() === key;
    });
    if (out) out.textContent = found ? (found.label === "セット商品" ? found.value + "（セット商品）" : found.label) : "";
  }

  function addRow() {
    var rows = lines.querySelectorAll(".order-line");
    var last = rows[rows.length - 1];
    var i = rows.length;
    var row = last.cloneNode(true);
    row.dataset.row = String(i);
    row.querySelectorAll(".field-error").forEach(function (e) { e.remove(); });
    row.querySelectorAll("label").forEach(function (l) {
      var kind = l.htmlFor.split("_")[0];
      l.htmlFor = kind + "_" + i;
      l.textContent = (kind === "code" ? "商品 " : "数量 ") + (i + 1);
    });
    row.querySelectorAll("input").forEach(function (input) {
      var kind = input.id.split("_")[0];
      input.id = input.name = kind + "_" + i;
      input.value = kind === "quantity" ? "1" : "";
      input.removeAttribute("aria-invalid");
      input.removeAttribute("autofocus");
      if (kind === "code") input.setAttribute("aria-describedby", "name_" + i);
      else input.removeAttribute("aria-describedby");
    });
    var out = row.querySelector("output");
    out.id = "name_" + i; out.htmlFor = "code_" + i; out.textContent = "";
    lines.appendChild(row);
    return row;
  }

  form.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key !== "Enter" || e.isComposing || t.tagName !== "INPUT" || t.type === "radio") return;
    e.preventDefault();  // Enter never places an order: 受注する does
    var parts = t.id.split("_"), i = Number(parts[1]);
    if (parts[0] === "code" && t.closest(".order-line")) {
      nameOf(t);
      document.getElementById("quantity_" + i).focus();
    } else if (parts[0] === "quantity" && t.closest(".order-line")) {
      var next = document.getElementById("code_" + (i + 1)) ||
                 addRow().querySelector("input[id^=code_]");
      next.focus();
    }
    refresh();
  });
  form.addEventListener("change", function (e) {
    if (e.target.id && e.target.id.indexOf("code_") === 0) nameOf(e.target);
    refresh();
  });
  form.addEventListener("input", function (e) {  // typing a new address means delivering there
    if (e.target.id && e.target.id.indexOf("to_") === 0 && e.target.value) {
      document.getElementById("delivery-new").checked = true;
    }
  });
  document.getElementById("add-line").addEventListener("click", function (e) {
    e.preventDefault();
    addRow().querySelector("input[id^=code_]").focus();
    refresh();
  });
})();
