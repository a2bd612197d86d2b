/* A "copy" button copies the value of the field named by its data-copy-from (the token pages).
   Loaded from the page that needs it; no inline scripts (CSP). */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-copy-from]");
    if (!button) {
      return;
    }
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    if (!field) {
      return;
    }
    function done() {
      var label = button.getAttribute("data-copied-label");
      if (label) {
        button.textContent = label;
      }
    }
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        document.execCommand("copy");
        done();
      });
    } else {
      document.execCommand("copy");
      done();
    }
  });
})();
