// Accountability pages: switch unit/month on change, keep the quick form
// ready for the next entry after htmx swaps it in.
(function () {
  function focusQuickForm(root) {
    var field = (root || document).querySelector(".quick-record-form .is-invalid, .quick-record-form [autofocus]");
    if (field) field.focus();
  }
  document.addEventListener("change", function (event) {
    if (event.target.matches("[data-autosubmit]")) event.target.form.submit();
  });
  document.addEventListener("htmx:afterSwap", function (event) { focusQuickForm(event.detail.target.parentNode || document); });
  document.addEventListener("DOMContentLoaded", function () { focusQuickForm(document); });
})();
