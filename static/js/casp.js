// CASP: small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // The language selector submits itself when changed.
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form.submit());
  });
  // Forms marked data-once disable their submit button after the first click,
  // so a double click does not post twice (the server also refuses duplicates).
  document.querySelectorAll("form[data-once]").forEach((form) => {
    form.addEventListener("submit", () => {
      form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
    });
  });
});
