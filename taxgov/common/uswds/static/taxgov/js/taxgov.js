// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  // Move focus to the error summary so screen-reader users hear what went wrong.
  summary.focus();

  // A link in the summary focuses its field (radios are visually hidden, so following the
  // link alone would only scroll) and shows the field's label or legend with it.
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var group = field.closest(".usa-form-group");
    var caption = group && group.querySelector("legend, label");
    (caption || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
