// Small behaviours the templates ask for with data attributes, because the Content Security Policy
// allows no inline script and no inline event handler (onchange=, onclick=).
//   <select data-submit-on-change>  submits its form when the choice changes (language, filters)
//   <button data-print>             opens the browser's print dialog
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
