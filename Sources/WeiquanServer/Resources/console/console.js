// The console's shared script: actions through /api/v1 with the session's CSRF token. Pages add their own scripts.
"use strict";
(function () {
  const csrfMeta = document.querySelector('meta[name="csrf-token"]');
  const csrf = csrfMeta ? csrfMeta.getAttribute("content") : "";
  let messages = {};
  try {
    const node = document.getElementById("console-messages");
    if (node) messages = JSON.parse(node.textContent);
  } catch (ignored) {
    messages = {};
  }

  // The Chinese wording of an API error code, or the API's own message.
  function describe(code, message) {
    const known = messages[code];
    if (!known) return message || messages.internal || "";
    return known.endsWith("：") && message ? known + message : known;
  }

  function signInAgain() {
    const next = encodeURIComponent(location.pathname + location.search);
    location.assign("/console/sign-in?next=" + next);
  }

  // Calls the API; resolves with the parsed JSON (or null), rejects with an Error carrying .status and .code.
  async function api(method, url, body) {
    const headers = { Accept: "application/json" };
    if (method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = csrf;
    const init = { method: method, headers: headers, credentials: "same-origin" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(url, init);
    } catch (failure) {
      const error = new Error(describe("network"));
      error.status = 0;
      error.code = "network";
      throw error;
    }
    const text = await response.text();
    let data = null;
    if (text) {
      try { data = JSON.parse(text); } catch (ignored) { data = null; }
    }
    if (!response.ok) {
      const detail = data && data.error ? data.error : {};
      const error = new Error(describe(detail.code, detail.message));
      error.status = response.status;
      error.code = detail.code || "internal";
      if (response.status === 401) signInAgain();
      throw error;
    }
    return data;
  }

  // The JSON body of a data-api form: named fields, typed by data-type, empty ones left out.
  function formBody(form) {
    const body = {};
    for (const field of form.elements) {
      if (!field.name || field.disabled || field.type === "submit" || field.type === "button") continue;
      const type = field.dataset.type || "";
      if (field.type === "checkbox") {
        if (type === "bool") body[field.name] = field.checked;
        else if (field.checked) (body[field.name] = body[field.name] || []).push(field.value);
        continue;
      }
      if (field.type === "radio" && !field.checked) continue;
      const value = field.value.trim();
      if (value === "") continue;
      if (type === "int") body[field.name] = Number(value);
      else if (type === "bool") body[field.name] = value === "true";
      else if (type === "list") body[field.name] = value.split(/[,，\s]+/).filter(Boolean);
      else body[field.name] = field.value;
    }
    return body;
  }

  function errorSlot(form) {
    let slot = form.querySelector(".form-error");
    if (!slot) {
      slot = document.createElement("p");
      slot.className = "form-error";
      slot.setAttribute("role", "alert");
      form.appendChild(slot);
    }
    return slot;
  }

  document.addEventListener("submit", async function (event) {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.api) return;
    event.preventDefault();
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) return;
    const slot = errorSlot(form);
    slot.textContent = "";
    const buttons = form.querySelectorAll("button");
    buttons.forEach(function (button) { button.disabled = true; });
    try {
      const answer = await api(form.dataset.method || "POST", form.dataset.api, formBody(form));
      form.dispatchEvent(new CustomEvent("weiquan:done", { detail: answer, bubbles: true }));
      const then = form.dataset.then || "reload";
      if (then === "reload") location.reload();
      else if (then !== "stay") location.assign(then.replace("{id}", encodeURIComponent((answer && answer.id) || "")));
      else buttons.forEach(function (button) { button.disabled = false; });
    } catch (error) {
      slot.textContent = error.message;
      buttons.forEach(function (button) { button.disabled = false; });
    }
  });

  // A one-time sign-in link carries its code after '#', which never reaches the server's logs.
  const linkForm = document.getElementById("link-form");
  if (linkForm) {
    const code = location.hash.slice(1);
    document.getElementById("link-code").value = code;
    if (code) history.replaceState(null, "", location.pathname);
    else document.getElementById("link-missing").hidden = false;
  }

  window.weiquan = { api: api, describe: describe, csrf: csrf };
})();
