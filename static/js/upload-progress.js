/* Upload progress for forms marked data-upload-progress (files/_picker.html).
   With JavaScript, a form with files chosen is sent by XMLHttpRequest so that the bytes sent can
   be shown; the answer then replaces the page as a normal submit would (after a redirect, the
   page redirected to, with its messages; or the page with the errors). Without JavaScript, or without XHR upload events, the form submits as usual. */
(function () {
  "use strict";
  if (!window.XMLHttpRequest || !window.FormData || !("upload" in new XMLHttpRequest())) {
    return;
  }

  function hasFiles(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) {
        return true;
      }
    }
    return false;
  }

  function show(form, percent) {
    var boxes = form.querySelectorAll(".upload-progress");
    for (var i = 0; i < boxes.length; i++) {
      boxes[i].hidden = false;
      var bar = boxes[i].querySelector("progress");
      var status = boxes[i].querySelector("[data-upload-status]");
      if (bar) { bar.value = percent; }
      if (status) { status.textContent = percent + "%"; }
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-upload-progress]") || !hasFiles(form) || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    var buttons = form.querySelectorAll('button[type="submit"], input[type="submit"]');
    for (var i = 0; i < buttons.length; i++) { buttons[i].disabled = true; }
    var xhr = new XMLHttpRequest();
    xhr.open(form.method || "POST", form.action);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { show(form, Math.floor((e.loaded / e.total) * 100)); }
    });
    xhr.addEventListener("load", function () {
      // Show the answer as the browser would have (it carries the page's messages, which a second
      // request would no longer get), at the address it came from.
      document.open();
      document.write(xhr.responseText);
      document.close();
      if (xhr.responseURL && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", xhr.responseURL);
      }
    });
    xhr.addEventListener("error", function () {
      // The upload broke off (network): hand the form back to the browser.
      for (var j = 0; j < buttons.length; j++) { buttons[j].disabled = false; }
      form.removeAttribute("data-upload-progress");
      form.submit();
    });
    show(form, 0);
    var data;
    try { data = new FormData(form, event.submitter || undefined); } catch (e) { data = new FormData(form); }
    xhr.send(data);
  });
})();
