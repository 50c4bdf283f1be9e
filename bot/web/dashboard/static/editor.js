// The flow editor's checks as you type: the form is sent to the check address a moment after
// the last key, and the checks panel is swapped for the answer. Without this script, the
// Check button does the same with a whole page.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var panel = document.getElementById("checks");
  var status = document.getElementById("checks-status");
  if (!form || !panel || !window.fetch || !window.FormData) {
    return;
  }
  var timer = null;
  var sent = 0;

  function check() {
    var ticket = ++sent;
    var body = new FormData(form);
    body.delete("action");
    fetch(form.getAttribute("data-check"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null || ticket !== sent) {
          return; // a newer check is on its way
        }
        panel.innerHTML = html;
        var summary = panel.querySelector(".checks-summary");
        if (status && summary) {
          status.textContent = summary.textContent;
        }
      })
      .catch(function () {});
  }

  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 600);
  }

  // A step's kind or the flow's languages decide which boxes the form has: fetch the page again
  // with them, as the Check button would, rather than leave boxes that no longer apply.
  var reshape = form.querySelector("button[name=action][value=check]");
  form.addEventListener("change", function (event) {
    var name = event.target && event.target.name ? event.target.name : "";
    if (reshape && form.requestSubmit && (/\.type$/.test(name) || name === "languages")) {
      window.clearTimeout(timer);
      form.requestSubmit(reshape);
      return;
    }
    soon();
  });
  form.addEventListener("input", soon);
})();
