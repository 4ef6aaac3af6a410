// chibo console: small improvements over pages that already work without scripts.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const question = form.dataset.confirm;
  if (question && !window.confirm(question)) {
    event.preventDefault();
    return;
  }
  // A second press while the first is on its way would send the same change twice (a GET filter
  // form may be sent again freely).
  if (form.method.toLowerCase() === "post") {
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
    // A form whose answer is a download leaves the page as it is: it works again after a moment,
    // and after coming back to the page from the history.
    window.setTimeout(() => { delete form.dataset.sent; }, 5000);
    window.addEventListener("pageshow", () => { delete form.dataset.sent; }, { once: true });
  }
});
