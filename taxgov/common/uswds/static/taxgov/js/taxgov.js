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

// The idle warning: two minutes before the session's idle limit, ask whether the person is
// still there; "Stay logged in" resets the clock on the server without leaving the page.
(function () {
  "use strict";

  var dialog = document.getElementById("idle-warning");
  if (!dialog || typeof dialog.showModal !== "function") {
    return;
  }
  var timeout = parseInt(dialog.getAttribute("data-idle-timeout"), 10) * 1000;
  var warning = parseInt(dialog.getAttribute("data-idle-warning"), 10) * 1000;
  var warnTimer, endTimer;

  function schedule() {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    warnTimer = window.setTimeout(function () {
      dialog.showModal();
    }, Math.max(timeout - warning, 0));
    endTimer = window.setTimeout(function () {
      window.location.reload();
    }, timeout + 1000);
  }

  var keepAlive = dialog.querySelector("[data-idle-keep-alive]");
  keepAlive.addEventListener("submit", function (event) {
    event.preventDefault();
    fetch(keepAlive.action, { method: "POST", body: new FormData(keepAlive), credentials: "same-origin" }).then(
      function (response) {
        // A session that already ended answers with a redirect to the log-in page.
        if (response.ok && !response.redirected) {
          dialog.close();
          schedule();
        } else {
          window.location.reload();
        }
      }
    );
  });
  schedule();
})();

// "Show password" and a strength hint. The server's rules decide; this only helps.
(function () {
  "use strict";

  document.querySelectorAll("[data-show-password]").forEach(function (button) {
    var form = button.closest("form");
    var inputs = form ? form.querySelectorAll("input[data-password]") : [];
    if (!inputs.length) {
      return;
    }
    var shownLabel = button.getAttribute("data-hide-label") || button.textContent;
    var hiddenLabel = button.textContent;
    button.hidden = false;
    button.setAttribute("aria-pressed", "false");
    button.addEventListener("click", function () {
      var show = button.getAttribute("aria-pressed") !== "true";
      inputs.forEach(function (input) {
        input.type = show ? "text" : "password";
      });
      button.setAttribute("aria-pressed", show ? "true" : "false");
      button.textContent = show ? shownLabel : hiddenLabel;
    });
  });

  var meter = document.querySelector("[data-strength-text]");
  var password = document.querySelector("input[data-strength-meter]");
  if (!meter || !password) {
    return;
  }
  password.addEventListener("input", function () {
    var value = password.value;
    var distinct = new Set(value).size;
    var level = value.length >= 20 && distinct >= 10 ? "strong" : value.length >= 14 && distinct >= 8 ? "fair" : "weak";
    meter.hidden = value.length === 0;
    meter.textContent = meter.getAttribute("data-" + level);
  });
})();
