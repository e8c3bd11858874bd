// Small behaviours shared by every page; in-page updates are htmx attributes, not scripts here.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.createElement("div");
  box.className = "alert alert-danger mt-2";
  box.setAttribute("role", "alert");
  // The page's language: base.html carries the translated message.
  box.textContent = document.body.getAttribute("data-error-message");
  (event.detail.target || document.body).prepend(box);
});

// An irreversible one-click action asks first: <form data-confirm="…"> or <button data-confirm="…">.
// An htmx form asks through hx-confirm; htmx has then already taken the submit over.
document.addEventListener("submit", function (event) {
  if (event.defaultPrevented) return;
  var button = event.submitter;
  var message = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) event.preventDefault();
});

// A field with a length limit shows how much is left before typing runs out ("12 / 200").
(function () {
  function attach(field) {
    if (field.dataset.counted || field.type === "hidden" || field.type === "date") return;
    // The navigation's search box: a counter there squeezes the bar and reads white on red.
    if (field.type === "search") return;
    var limit = parseInt(field.getAttribute("maxlength"), 10);
    if (!limit || limit <= 0) return;
    field.dataset.counted = "1";
    var counter = document.createElement("div");
    counter.className = "form-text text-end length-counter";
    counter.setAttribute("aria-live", "polite");
    function update() {
      var used = Array.from(field.value).length;
      counter.textContent = used + " / " + limit;
      counter.classList.toggle("text-danger", used >= limit);
    }
    field.addEventListener("input", update);
    field.insertAdjacentElement("afterend", counter);
    update();
  }
  function scan(root) {
    (root || document).querySelectorAll("input[maxlength], textarea[maxlength]").forEach(attach);
  }
  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  document.addEventListener("htmx:afterSwap", function (event) { scan(event.detail.target); });
})();
