// The receipt slip's print button: shown only where script runs (the browser's own
// print menu works without it).
document.addEventListener("DOMContentLoaded", () => {
  const button = document.getElementById("cetak");
  const fallback = document.getElementById("cetak-tanpa-skrip");
  if (!button) return;
  button.hidden = false;
  if (fallback) fallback.hidden = true;
  button.addEventListener("click", () => window.print());
});
