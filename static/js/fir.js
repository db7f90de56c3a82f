// FIR registration: "Add another accused" adds a row in place from the formset's empty form.
// Without JavaScript the same button submits the form and the server answers with one more row.
document.addEventListener("DOMContentLoaded", () => {
  const button = document.querySelector("button[data-add-accused]");
  const template = document.getElementById("accused-empty");
  const rows = document.getElementById("accused-rows");
  const total = document.getElementById("id_accused-TOTAL_FORMS");
  const max = document.getElementById("id_accused-MAX_NUM_FORMS");
  if (!button || !template || !rows || !total) return;
  button.addEventListener("click", (event) => {
    event.preventDefault();
    const index = parseInt(total.value, 10) || 0;
    if (max && index >= parseInt(max.value, 10)) return;
    const html = template.innerHTML.replace(/__prefix__/g, String(index));
    rows.insertAdjacentHTML("beforeend", html);
    const row = rows.lastElementChild;
    row.querySelector("[data-accused-number]").textContent = String(index + 1);
    total.value = String(index + 1);
    const first = row.querySelector("input, textarea");
    if (first) first.focus();
  });
});
