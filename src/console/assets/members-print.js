// chibo console, members: the print buttons of the printable pages (the browser's own menu prints them too).
for (const button of document.querySelectorAll("button[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
