// Dashboard period picker: show only the fields the chosen kind of period uses (the server ignores
// the others, so without this script every field simply stays visible).
(function () {
  "use strict";

  function setUp(form) {
    var kind = form.querySelector("select[name=kind]");
    if (!kind) {
      return;
    }
    var fields = form.querySelectorAll("[data-kinds]");

    function update() {
      fields.forEach(function (field) {
        var used = field.dataset.kinds.split(" ").indexOf(kind.value) !== -1;
        field.hidden = !used;
        field.querySelectorAll("input, select").forEach(function (input) {
          input.disabled = !used; // not sent: the address stays short and names only what was chosen
        });
      });
    }

    kind.addEventListener("change", update);
    update();
  }

  document.querySelectorAll("[data-testid=period-picker]").forEach(setUp);
})();
