// Rectification pages: ask before a destructive plain form (data-confirm="…") is submitted.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
