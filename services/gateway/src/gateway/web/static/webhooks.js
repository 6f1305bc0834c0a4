// 設定 > Webhook: the secret's コピー button (the secret is shown once).
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.getElementById(button.dataset.copy);
  field.select();
  try {
    await navigator.clipboard.writeText(field.value);
  } catch {
    document.execCommand("copy"); // http:// pages have no clipboard API
  }
  const done = document.querySelector("[data-copied]");
  if (done) done.hidden = false;
});
