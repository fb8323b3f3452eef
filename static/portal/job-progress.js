// A background job's progress page: polls the job's JSON status every second, moves the bar and its text,
// and reloads the page (which then shows the download button or the error) once the job is finished.
// The words come translated from the page (data-label-* on #job), so this file holds no text.
(function () {
  "use strict";
  var box = document.getElementById("job");
  if (!box || !box.dataset.statusUrl) {
    return;
  }
  var text = document.getElementById("job-progress-text");
  var bar = document.getElementById("job-progress-bar");
  var fill = bar ? bar.querySelector(".progress-bar") : null;
  function show(s) {
    var label = s.status === "queued" ? box.dataset.labelQueued : box.dataset.labelRunning.replace("{percent}", s.percent);
    if (s.total) {
      label += " (" + box.dataset.labelCounted.replace("{done}", s.done).replace("{total}", s.total) + ")";
    }
    if (text && text.textContent !== label) {
      text.textContent = label;
    }
    if (bar && fill) {
      bar.setAttribute("aria-valuenow", String(s.percent));
      fill.style.width = s.percent + "%";
    }
  }
  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (r) {
        return r.ok ? r.json() : Promise.reject(r.status);
      })
      .then(function (s) {
        if (s.status === "done" || s.status === "failed") {
          window.location.reload();
          return;
        }
        show(s);
        setTimeout(poll, 1000);
      })
      .catch(function () {
        setTimeout(poll, 5000);
      });
  }
  setTimeout(poll, 500);
})();
