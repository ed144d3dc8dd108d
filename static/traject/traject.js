/* Traject: small progressive enhancements. No inline scripts (strict CSP): all here. */
(function () {
  "use strict";

  function focusFirstField(container) {
    var errors = container.querySelector(".form-errors, .errorlist");
    if (errors) {
      var summary = container.querySelector(".form-errors");
      if (summary) {
        summary.setAttribute("tabindex", "-1");
        summary.focus();
        return;
      }
    }
    var field = container.querySelector(
      "input:not([type=hidden]):not([disabled]), select:not([disabled]), textarea:not([disabled])"
    );
    if (field) {
      field.focus();
    }
  }

  // After htmx swapped a form in, put the keyboard focus in it; after it swapped the
  // client file back in (a save), move focus to the confirmation message.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail && event.detail.elt;
    if (!target) {
      return;
    }
    if (target.id === "record-panel") {
      focusFirstField(target);
      target.scrollIntoView({ block: "nearest" });
      return;
    }
    var file = document.getElementById("file-body");
    if (file && (target === file || file.contains(target))) {
      var message = file.querySelector(".messages");
      var focusTarget = message || file.querySelector("h2");
      if (focusTarget) {
        focusTarget.setAttribute("tabindex", "-1");
        focusTarget.focus();
      }
    }
  });

  // "Annuleren" in an inline form: close the panel instead of leaving the page.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-panel]");
    if (!button) {
      return;
    }
    var panel = document.getElementById("record-panel");
    if (!panel) {
      return;
    }
    event.preventDefault();
    panel.innerHTML = "";
    var heading = document.getElementById("add-heading");
    if (heading) {
      heading.setAttribute("tabindex", "-1");
      heading.focus();
    }
  });

  // Select all / none in a list of checkboxes (caseload transfer).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-check-all]");
    if (!button) {
      return;
    }
    event.preventDefault();
    var value = button.getAttribute("data-check-all") === "on";
    var scope = document.getElementById(button.getAttribute("aria-controls"));
    if (!scope) {
      return;
    }
    scope.querySelectorAll("input[type=checkbox]").forEach(function (box) {
      box.checked = value;
    });
  });
})();
