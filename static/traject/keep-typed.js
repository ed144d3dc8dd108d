/* Traject: forms that keep what was typed. No inline scripts (strict CSP).
 *
 * A form marked `data-keep-typed` becomes "dirty" once something is typed in it (or
 * when the server sends it back unsaved: `data-dirty`). While a dirty form is on the
 * page, leaving the page asks first (beforeunload), and so does anything htmx would
 * use to replace it (another "+ ..." or "Registreren" opening a form in its place or
 * next to it) and "Annuleren". Submitting the form is never asked about.
 */
(function () {
  "use strict";

  function message() {
    var meta = document.querySelector("meta[name=traject-unsaved-message]");
    return meta ? meta.getAttribute("content") : "";
  }

  function dirtyForms(scope) {
    return Array.prototype.slice.call(
      (scope || document).querySelectorAll("form[data-keep-typed][data-dirty]")
    );
  }

  // Whether replacing `target` (or opening a form next to it) would throw typed text away.
  function wouldLoseText(target) {
    if (!target) {
      return false;
    }
    if (target.matches("form[data-keep-typed][data-dirty]") || dirtyForms(target).length) {
      return true;
    }
    // One form open at a time in a list of panels (the work queue, the client file).
    if (target.classList && target.classList.contains("record-panel")) {
      return dirtyForms().some(function (form) {
        return form.closest(".record-panel") !== null;
      });
    }
    return false;
  }

  window.trajectKeepTyped = {
    // Ask before throwing away the typed text in `scope`; true when that may happen.
    mayDiscard: function (scope) {
      if (!wouldLoseText(scope)) {
        return true;
      }
      return window.confirm(message());
    },
  };

  function markDirty(event) {
    var form = event.target.form || (event.target.closest && event.target.closest("form"));
    if (form && form.hasAttribute("data-keep-typed") && event.target.type !== "hidden") {
      form.setAttribute("data-dirty", "");
    }
  }
  document.addEventListener("input", markDirty);
  document.addEventListener("change", markDirty);

  // Saving is not leaving: the form's own submission (plain or htmx) is never asked about.
  document.addEventListener("submit", function (event) {
    if (event.target.hasAttribute && event.target.hasAttribute("data-keep-typed")) {
      event.target.removeAttribute("data-dirty");
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (dirtyForms().length) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("htmx:confirm", function (event) {
    var elt = event.detail.elt;
    if (!elt || elt.tagName === "FORM" || elt.form) {
      return;
    }
    if (!wouldLoseText(event.detail.target)) {
      return;
    }
    event.preventDefault();
    if (window.confirm(message())) {
      dirtyForms().forEach(function (form) {
        form.removeAttribute("data-dirty");
      });
      event.detail.issueRequest(true);
    }
  });
})();
