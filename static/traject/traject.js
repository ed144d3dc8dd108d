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
    if (target.classList && target.classList.contains("record-panel")) {
      // One form open at a time in the work queue: close the others.
      var items = target.closest("#queue-items");
      if (items) {
        items.querySelectorAll(".record-panel").forEach(function (panel) {
          if (panel !== target) {
            panel.innerHTML = "";
          }
        });
      }
      focusFirstField(target);
      target.scrollIntoView({ block: "nearest" });
      return;
    }
    if (target.id === "queue-body") {
      focusQueueItem();
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

  function mayDiscard(scope) {
    return !window.trajectKeepTyped || window.trajectKeepTyped.mayDiscard(scope);
  }

  // "Annuleren" in an inline form: close the panel instead of leaving the page (asking
  // first when text was typed in it).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-panel]");
    if (!button) {
      return;
    }
    var panel = button.closest(".record-panel") || document.getElementById("record-panel");
    if (!panel) {
      return;
    }
    event.preventDefault();
    if (!mayDiscard(panel)) {
      return;
    }
    panel.innerHTML = "";
    var item = panel.closest("[data-queue-item]");
    var focusTarget = item
      ? item.querySelector("[data-queue-open]")
      : document.getElementById("add-heading");
    if (focusTarget) {
      if (!item) {
        focusTarget.setAttribute("tabindex", "-1");
      }
      focusTarget.focus();
    }
  });

  // --- The work queue: resolve items in place, one after the other ------------------

  // The position of the item whose form is open: after a save the queue reloads and the
  // item now at that position (the next one) gets the focus.
  var queuePosition = null;

  function queueItems() {
    return Array.prototype.slice.call(document.querySelectorAll("#queue-items > [data-queue-item]"));
  }

  function announce(text) {
    var announcer = document.getElementById("queue-announcer");
    if (announcer) {
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = text;
      }, 50);
    }
  }

  function itemText(item) {
    var what = item.querySelector(".work-item__what");
    return what ? what.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function focusQueueItem() {
    if (queuePosition === null) {
      return;
    }
    var announcer = document.getElementById("queue-announcer");
    var saved = document.querySelector("#queue-body .messages");
    var prefix = saved ? saved.textContent.replace(/\s+/g, " ").trim() + " " : "";
    var items = queueItems().filter(function (item) {
      return item.querySelector("[data-queue-open]");
    });
    if (!items.length) {
      var empty = document.getElementById("queue-empty") || document.querySelector("#queue-body h2");
      if (empty) {
        empty.focus();
      }
      announce(prefix + (announcer ? announcer.getAttribute("data-empty-label") : ""));
      queuePosition = null;
      return;
    }
    var item = items[Math.min(queuePosition, items.length - 1)];
    item.querySelector("[data-queue-open]").focus();
    item.scrollIntoView({ block: "nearest" });
    announce(prefix + (announcer ? announcer.getAttribute("data-next-label") + " " : "") + itemText(item));
    queuePosition = null;
  }

  document.addEventListener("click", function (event) {
    var open = event.target.closest("[data-queue-open]");
    if (open) {
      var openable = queueItems().filter(function (item) {
        return item.querySelector("[data-queue-open]");
      });
      queuePosition = openable.indexOf(open.closest("[data-queue-item]"));
      return;
    }
    // "Volgende item": close this form (asking first when text was typed) and open the
    // next item's form.
    var next = event.target.closest("[data-queue-next]");
    if (!next) {
      return;
    }
    event.preventDefault();
    var item = next.closest("[data-queue-item]");
    var panel = next.closest(".record-panel");
    if (!item || !panel || !mayDiscard(panel)) {
      return;
    }
    panel.innerHTML = "";
    var following = item.nextElementSibling;
    while (following && !following.querySelector("[data-queue-open]")) {
      following = following.nextElementSibling;
    }
    if (following) {
      following.querySelector("[data-queue-open]").click();
    } else {
      var announcer = document.getElementById("queue-announcer");
      item.querySelector("[data-queue-open]").focus();
      announce(announcer ? announcer.getAttribute("data-empty-label") : "");
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
