/* 郵便番号から住所: when a row's postal code reaches 7 digits (full-width digits and hyphens
   too), fill its 都道府県, 市区町村 and 町域 from GET /api/v1/postal-codes/{code}. What staff
   typed in 市区町村 or 町域・番地 themselves is kept; every field stays editable. The form works
   without this script (the customer service completes the address on save).
   A row whose fields are not named "….postal_code" marks them instead: data-postal="postal_code",
   "prefecture", and "address" for a one-line address (市区町村 and 町域 together; 受注入力's gift
   address, the new subscription's other address). */
(function () {
  var rows = document.querySelectorAll("[data-postal-row]");
  if (!rows.length) return;
  function digits(text) {
    return text.replace(/[０-９]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }).replace(/[-‐－ー―−〒\s]/g, "");
  }
  function part(row, name) {
    return row.querySelector("[data-postal='" + name + "']") ||
      (name === "address" ? null : row.querySelector("[name$='." + name + "']"));
  }
  rows.forEach(function (row) {
    var code = part(row, "postal_code");
    var status = row.querySelector("[data-postal-status]");
    var asked = "";
    var filled = {};
    if (!code) return;
    function put(name, value) {
      var el = part(row, name);
      if (!el) return;
      // Overwrite only what is empty or what this script filled before.
      if (el.value === "" || el.value === filled[name]) { el.value = value; filled[name] = value; }
    }
    function say(text) { if (status) status.textContent = text; }
    code.addEventListener("input", function () {
      var d = digits(code.value);
      if (!/^\d{7}$/.test(d)) { asked = ""; say(""); return; }
      if (d === asked) return;
      asked = d;
      say("住所を検索しています…");
      fetch("/api/v1/postal-codes/" + d, {credentials: "same-origin",
                                          headers: {"Accept": "application/json"}})
        .then(function (r) { return r.json().then(function (body) { return [r.status, body]; }); })
        .then(function (answer) {
          if (asked !== d) return;
          var body = answer[1];
          if (answer[0] !== 200) {
            say((body && body.detail && body.detail.message) || "住所を補えませんでした。");
            return;
          }
          var pref = part(row, "prefecture");
          if (pref) { pref.value = body.prefecture; filled.prefecture = body.prefecture; }
          if (part(row, "address")) put("address", body.city + body.town);
          else { put("city", body.city); put("street", body.town); }
          say("郵便番号から住所を入力しました。番地を続けて入力してください。");
        })
        .catch(function () { say("住所を補えませんでした。手で入力してください。"); });
    });
  });
})();
