// Case pages: unit-code inputs suggest the units in the user's scope by name or code, through
// the portal's own units API (no external library), and name the unit a typed code stands for.
(function () {
  "use strict";

  var REFORM_DAY = "2025-07-01"; // the current (two-level) unit list is in force from this day

  // "05/09/2025" (dd/mm/yyyy, as the portal shows dates) or "2025-09-05" -> "2025-09-05"
  function isoDate(text) {
    var match = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
    if (match) {
      return match[3] + "-" + ("0" + match[2]).slice(-2) + "-" + ("0" + match[1]).slice(-2);
    }
    return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : "";
  }

  function editionFor(dateInput) {
    var day = dateInput ? isoDate(dateInput.value) : "";
    if (!day) {
      return "";
    }
    return day < REFORM_DAY ? "legacy" : "2025";
  }

  function describe(unit, legacyLabel) {
    var text = unit.name;
    if (unit.parent && unit.parent.code !== "VN") {
      text += " — " + unit.parent.name;
    }
    return text + (unit.edition === "legacy" ? " (" + legacyLabel + ")" : "");
  }

  function setUp(input) {
    var list = input.list;
    var nameOutput = document.querySelector('[data-unit-name-for="' + input.id + '"]');
    var dateInput = input.dataset.editionFrom ? document.getElementById(input.dataset.editionFrom) : null;
    var legacyLabel = input.dataset.legacyLabel || "legacy";
    var timer = null;
    var latest = 0;

    function lookup() {
      var query = input.value.trim();
      if (query.length < 2) {
        return;
      }
      var params = new URLSearchParams({ q: query, page_size: "15" });
      var edition = editionFor(dateInput);
      if (edition) {
        params.set("edition", edition);
      }
      var ticket = ++latest;
      fetch(input.dataset.unitLookup + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (ticket !== latest) {
            return; // an older answer arriving late
          }
          var units = data.results || [];
          if (list) {
            list.replaceChildren.apply(
              list,
              units.map(function (unit) {
                var option = document.createElement("option");
                option.value = unit.code;
                option.label = describe(unit, legacyLabel);
                return option;
              })
            );
          }
          if (nameOutput) {
            var exact = units.filter(function (unit) {
              return unit.code === query;
            });
            nameOutput.textContent = exact.length === 1 ? describe(exact[0], legacyLabel) : "";
          }
        })
        .catch(function () {
          /* suggestions are a convenience: the server validates the code anyway */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, 250);
    });
    if (dateInput) {
      dateInput.addEventListener("change", lookup);
    }
  }

  document.querySelectorAll("input[data-unit-lookup]").forEach(setUp);
})();
