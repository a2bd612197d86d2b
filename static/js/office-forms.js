/* Office forms: nothing page-specific yet beyond focusing the first field with an error. */
(function () {
  "use strict";
  var invalid = document.querySelector(".office-form .is-invalid, .office-form [aria-invalid=true]");
  if (invalid) {
    invalid.focus();
  }
})();
