// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Move focus to a form's error summary so screen-reader users hear what went wrong.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
})();
