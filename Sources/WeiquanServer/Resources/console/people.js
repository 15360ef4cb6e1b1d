// The people page: creates a token through /api/v1/tokens and shows its secret once; shows one-time sign-in links.
"use strict";
(function () {
  const panel = document.getElementById("secret-panel");
  const what = document.getElementById("secret-what");
  const value = document.getElementById("secret-value");

  // Shows a secret or a link as text, once, and moves the focus to it.
  function show(title, text) {
    what.textContent = title;
    value.textContent = text;
    panel.hidden = false;
    panel.setAttribute("tabindex", "-1");
    panel.focus();
  }

  // The wording of the tokens API's own refusals (console.js knows the shared ones).
  const refusals = {
    duplicate_name: "已有同名的有效令牌：请换一个名称，或先吊销原令牌。",
    invalid_name: "名称须为 1 至 64 个字母、数字或 - _ . 字符。",
    invalid_role: "请选择角色。",
    unknown_unit: "没有这个单位。",
    unknown_specialty: "没有这个专长类型。",
  };

  function chosen(select) {
    return Array.from(select.selectedOptions).map(function (option) { return option.value; });
  }

  const form = document.getElementById("create-token");
  if (form) {
    form.addEventListener("submit", async function (event) {
      event.preventDefault();
      const slot = form.querySelector(".form-error");
      slot.textContent = "";
      const body = { name: form.elements.name.value.trim(), role: form.elements.role.value };
      if (form.elements.unit.value) body.unit = form.elements.unit.value;
      const specialties = chosen(form.elements.specialties);
      const regions = chosen(form.elements.regions);
      if (specialties.length) body.specialties = specialties;
      if (regions.length) body.regions = regions;
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      try {
        const token = await window.weiquan.api("POST", "/api/v1/tokens", body);
        show("令牌“" + token.name + "”已创建。请把下面的令牌交给持有人（登录时填写）：", token.secret);
        form.reset();
        const note = document.createElement("p");
        note.className = "muted small";
        note.textContent = "刷新页面后列表中会出现新令牌。";
        panel.appendChild(note);
      } catch (error) {
        slot.textContent = refusals[error.code] || error.message;
      } finally {
        button.disabled = false;
      }
    });
  }

  document.addEventListener("weiquan:done", function (event) {
    const source = event.target;
    if (!(source instanceof HTMLFormElement) || !source.classList.contains("link-form")) return;
    const link = event.detail || {};
    const expires = link.expires_at ? new Date(link.expires_at).toLocaleString("zh-CN") : "";
    show("“" + (link.name || "") + "”的一次性登录链接（只能使用一次，" + expires + " 前有效）：",
      location.origin + (link.path || ""));
  });
})();
