// Small behaviours shared by every page; in-page updates are htmx attributes, not scripts here.
document.addEventListener("htmx:responseError", function (event) {
  var box = document.createElement("div");
  box.className = "alert alert-danger mt-2";
  box.setAttribute("role", "alert");
  box.textContent = "操作未完成，请刷新页面后重试。";
  (event.detail.target || document.body).prepend(box);
});
