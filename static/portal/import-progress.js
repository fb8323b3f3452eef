// The background import's progress on the import page: polls the job's status every second and
// reloads the page when the job is done or failed. The stage labels come translated from the
// page (data-stage-<name> on #import-progress), so this file holds no text.
(function () {
  "use strict";
  var box = document.getElementById("import-progress");
  if (!box || !box.dataset.statusUrl) {
    return;
  }
  var text = document.getElementById("import-progress-text");
  var bar = document.getElementById("import-progress-bar");
  function label(stage) {
    return box.getAttribute("data-stage-" + stage) || stage;
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : Promise.reject(r.status);
      })
      .then(function (s) {
        if (s.state === "done" || s.state === "failed") {
          window.location.reload();
          return;
        }
        if (s.stage) {
          text.textContent = s.total ? label(s.stage) + ": " + s.done + " / " + s.total : label(s.stage) + "…";
        }
        if (s.total) {
          bar.value = Math.floor((100 * s.done) / s.total);
        } else {
          bar.removeAttribute("value");
        }
        setTimeout(poll, 1000);
      })
      .catch(function () {
        setTimeout(poll, 5000);
      });
  }
  poll();
})();
