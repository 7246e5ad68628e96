// Parcours — assessment fill page: htmx swaps only 2xx answers by default; the autosave's 400
// (a refused answer) and 409 (saved elsewhere meanwhile) carry the state line to show, so they
// are swapped into it too (htmx's documented htmx:beforeSwap hook).
(function () {
  "use strict";
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    var target = event.detail.target;
    if ((status === 400 || status === 409) && target && target.id === "etat-sauvegarde") {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
})();
