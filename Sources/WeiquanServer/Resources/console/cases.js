// The case page's forms whose body is not flat (console.js sends flat ones): `<form data-case-api="/api/v1/…">`.
// A field named `a.b` goes into the object `a` (the outcome of a conclusion), checkboxes with `data-type="list"`
// make an array of the checked values (the experts), empty fields are left out, an object left empty too.
// On success the page reloads (or goes to `data-then`); the API's message is shown in the form's `.form-error`.
"use strict";
(function () {
  function body(form) {
    var result = {};
    var lists = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || field.type === "submit") { return; }
      if (field.dataset.type === "list") {
        lists[field.name] = lists[field.name] || [];
        if (field.checked) { lists[field.name].push(field.value); }
        return;
      }
      var value = field.value.trim();
      if (value === "") { return; }
      var path = field.name.split(".");
      var target = result;
      for (var i = 0; i < path.length - 1; i++) {
        target[path[i]] = target[path[i]] || {};
        target = target[path[i]];
      }
      target[path[path.length - 1]] = value;
    });
    Object.keys(lists).forEach(function (name) { result[name] = lists[name]; });
    return result;
  }

  function submit(event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.caseApi) { return; }
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { return; }
    var error = form.querySelector(".form-error");
    var button = form.querySelector("button[type=submit]");
    if (error) { error.textContent = ""; }
    if (button) { button.disabled = true; }
    window.weiquan.api(form.dataset.method || "POST", form.dataset.caseApi, body(form)).then(function () {
      var then = form.dataset.then || "reload";
      if (then === "reload") { window.location.reload(); } else { window.location.assign(then); }
    }, function (failure) {
      if (button) { button.disabled = false; }
      if (failure && failure.status === 401) {
        window.location.assign("/console/sign-in?next=" + encodeURIComponent(window.location.pathname));
        return;
      }
      if (error) { error.textContent = (failure && failure.message) || "操作失败，请重试。"; }
    });
  }

  document.addEventListener("submit", submit);
})();
