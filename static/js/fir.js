// FIR registration: "Add another accused" / "Add another vehicle" add a row in place from the formset's
// empty form. Without JavaScript the same buttons submit the form and the server answers with one more row.
// The stolen-vehicle block opens by itself when a vehicle-theft section is typed.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("button[data-add-rows]").forEach((button) => {
    const prefix = button.dataset.addRows;
    const template = document.getElementById(`${prefix}-empty`);
    const rows = document.getElementById(`${prefix}-rows`);
    const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
    const max = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
    if (!template || !rows || !total) return;
    button.addEventListener("click", (event) => {
      event.preventDefault();
      const index = parseInt(total.value, 10) || 0;
      if (max && index >= parseInt(max.value, 10)) return;
      const html = template.innerHTML.replace(/__prefix__/g, String(index));
      const block = rows.closest("details");
      if (block) block.open = true; // the vehicle rows fold away until a vehicle is entered
      rows.insertAdjacentHTML("beforeend", html);
      const row = rows.lastElementChild;
      row.querySelector("[data-row-number]").textContent = String(index + 1);
      total.value = String(index + 1);
      const first = row.querySelector("input, select, textarea");
      if (first) first.focus();
    });
  });

  const block = document.getElementById("stolen-vehicles");
  const sections = document.getElementById("id_sections");
  if (!block || !sections) return;
  const numbers = block.dataset.theftSections.split(",").map((s) => s.trim().split(" ")[0].toUpperCase());
  const openIfTheft = () => {
    const typed = sections.value.toUpperCase().split(/[\s,;]+/);
    if (typed.some((t) => numbers.includes(t))) block.open = true;
  };
  sections.addEventListener("input", openIfTheft);
  sections.addEventListener("change", openIfTheft);
  openIfTheft();
});
