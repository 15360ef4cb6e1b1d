// Try the bot: each message goes to POST /api/v1/try; the bot's replies and the practice notes are shown as text.
"use strict";
(function () {
  const chat = document.getElementById("try-chat");
  const empty = document.getElementById("try-empty");
  const form = document.getElementById("try-form");
  const input = document.getElementById("try-text");
  const error = document.getElementById("try-error");
  const reset = document.getElementById("try-reset");

  // One message: always textContent, never markup.
  function add(kind, text, meta) {
    const message = document.createElement("div");
    message.className = "msg " + kind;
    if (meta) {
      const label = document.createElement("span");
      label.className = "msg-meta";
      label.textContent = meta;
      message.appendChild(label);
    }
    message.appendChild(document.createTextNode(text));
    chat.appendChild(message);
    empty.hidden = true;
    message.scrollIntoView({ block: "nearest" });
  }

  function show(answer) {
    (answer.replies || []).forEach(function (reply) { add("msg-in", reply, "机器人"); });
    (answer.notes || []).forEach(function (note) { add("msg-note", note); });
    if (!(answer.replies || []).length && !(answer.notes || []).length) {
      add("msg-note", "（机器人没有回复：对话正在等待工作人员）");
    }
  }

  async function send(body, button) {
    error.textContent = "";
    button.disabled = true;
    try {
      show(await window.weiquan.api("POST", "/api/v1/try", body));
      return true;
    } catch (failure) {
      error.textContent = failure.message;
      return false;
    } finally {
      button.disabled = false;
    }
  }

  form.addEventListener("submit", async function (event) {
    event.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    add("msg-out", text, "我（扮演申请人）");
    if (await send({ text: text }, form.querySelector("button[type=submit]"))) {
      input.value = "";
    }
    input.focus();
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });

  // The practice goes on where it was left: show what was said so far.
  window.weiquan.api("GET", "/api/v1/try").then(function (practice) {
    const names = { applicant: ["msg-out", "我（扮演申请人）"], bot: ["msg-in", "机器人"], note: ["msg-note", ""] };
    (practice.messages || []).forEach(function (line) {
      const kind = names[line.from] || names.note;
      add(kind[0], line.text, kind[1]);
    });
  }).catch(function (failure) { error.textContent = failure.message; });

  reset.addEventListener("click", async function () {
    chat.textContent = "";
    await send({ reset: true }, reset);
    input.focus();
  });
})();
