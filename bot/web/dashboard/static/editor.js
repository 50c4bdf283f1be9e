// The flow editor's checks and preview as you type: the form is sent to the check and preview
// addresses a moment after the last key, and each panel is swapped for its answer. Without this
// script, the Check and Preview buttons do the same with a whole page.
(function () {
  "use strict";
  var form = document.getElementById("editor");
  var panel = document.getElementById("checks");
  var status = document.getElementById("checks-status");
  var preview = document.getElementById("live-preview");
  if (!form || !panel || !window.fetch || !window.FormData) {
    return;
  }
  var timer = null;
  var sent = 0;
  var previewSent = 0;

  // `action`: a button of the preview panel (a reply sent, or start again), or none.
  function showPreview(action) {
    if (!preview) {
      return;
    }
    var ticket = ++previewSent;
    var body = new FormData(form);
    body.delete("action");
    if (action) {
      body.append("action", action);
    }
    fetch(form.getAttribute("data-preview"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.ok ? response.text() : null;
      })
      .then(function (html) {
        if (html === null || ticket !== previewSent) {
          return;
        }
        var typing = document.activeElement && document.activeElement.id === "pv-reply";
        preview.innerHTML = html;
        var reply = document.getElementById("pv-reply");
        if (typing && reply) {
          reply.focus();
        }
      })
      .catch(function () {});
  }

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

  function soon(event) {
    // Typing a reply to the preview changes nothing until it is sent.
    if (event && event.target && event.target.id === "pv-reply") {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      check();
      showPreview("");
    }, 600);
  }

  // The preview's own buttons answer in place rather than with a whole page.
  form.addEventListener("submit", function (event) {
    var button = event.submitter;
    var value = button && button.name === "action" ? button.value : "";
    if (value === "preview_reply" || value === "preview_restart") {
      event.preventDefault();
      window.clearTimeout(timer);
      showPreview(value);
    }
  });

  // The preview's language and channel sit outside the form's own element (form="editor").
  if (preview) {
    preview.addEventListener("change", function (event) {
      if (event.target && event.target.tagName === "SELECT") {
        showPreview("");
      }
    });
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
    soon(event);
  });
  form.addEventListener("input", soon);
})();
