// Parcours: idle-session warning, confirmation dialogs, and auto-submit of filter selects.
(function () {
  "use strict";
  var body = document.body;
  var idle = parseInt(body.getAttribute("data-idle-seconds") || "0", 10);
  if (idle > 0) {
    var warning = document.getElementById("avertissement-session");
    var button = document.getElementById("prolonger-session");
    var warnAfter = Math.max(idle - 300, idle * 0.8) * 1000;
    var timer = null;
    var arm = function () {
      if (timer) { clearTimeout(timer); }
      warning.hidden = true;
      timer = setTimeout(function () { warning.hidden = false; button.focus(); }, warnAfter);
    };
    button.addEventListener("click", function () {
      fetch("/health/", { credentials: "same-origin" }).then(function () {
        // Any authenticated request refreshes the session; the home page is the lightest one.
        return fetch("/", { credentials: "same-origin", redirect: "manual" });
      }).finally(arm);
    });
    arm();
  }
  // A destructive action asks first: the button's own data-confirm (one form, several actions),
  // else the form's.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    var message = (button && button.getAttribute("data-confirm")) || form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });
  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
})();
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
// Back to the previous page as the browser kept it (a form keeps what was typed), e.g. from the
// page of an expired form (core.views.csrf_failure).
document.querySelectorAll("[data-back]").forEach(function (button) {
  button.addEventListener("click", function () { window.history.back(); });
});
// A table wider than the screen scrolls sideways inside its box: keyboard users must be able to
// reach that box to scroll it (WCAG 2.1.1, axe "scrollable-region-focusable"). Each box that
// scrolls and holds nothing focusable is made focusable and named after its table.
(function () {
  "use strict";
  var focusable = "a[href], button, input, select, textarea, [tabindex]";
  var mark = function () {
    document.querySelectorAll(".fr-table, .fr-table *:not(tr):not(td):not(th):not(thead):not(tbody)").forEach(function (box) {
      if (box.scrollWidth <= box.clientWidth + 1 || box.hasAttribute("tabindex")) { return; }
      var style = getComputedStyle(box);
      if (!/(auto|scroll)/.test(style.overflowX + style.overflowY)) { return; }
      if (box.querySelector(focusable)) { return; }
      box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("aria-label") && box.tagName !== "TABLE") {
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Tableau défilant");
      }
    });
  };
  window.addEventListener("load", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSettle", mark);
})();
