// Small behaviours the templates ask for with data attributes, because the Content Security Policy
// allows no inline script and no inline event handler (onchange=, onclick=).
//   <select data-submit-on-change>  submits its form when the choice changes (language, filters)
//   <button data-print>             opens the browser's print dialog
// and one for every page: a table wider than the screen scrolls inside its .table-responsive
// wrapper, which then takes the keyboard focus so that it can be scrolled with the arrow keys.
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

  function focusableWhenScrolling() {
    document.querySelectorAll(".table-responsive").forEach(function (wrapper) {
      if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
        wrapper.setAttribute("tabindex", "0");
      } else {
        wrapper.removeAttribute("tabindex");
      }
    });
  }
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(focusableWhenScrolling, 150);
  });
  // <details> with a table inside (the figures under a chart) only has a width once opened.
  document.addEventListener("toggle", focusableWhenScrolling, true);
  window.addEventListener("load", focusableWhenScrolling);
  focusableWhenScrolling();
})();
