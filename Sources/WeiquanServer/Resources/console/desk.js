// The staff desk's pages: the live queue (/console/queue) and one handoff (/console/handoffs/{id}). Every change is
// an /api/v1 call; live updates come from the server-sent events of /api/v1/events. Everything an applicant wrote is
// set with textContent, never as HTML.
"use strict";
(function () {
  const api = function (method, url, body) { return window.weiquan.api(method, url, body); };
  const STATUS = { waiting: "等待接入", active: "处理中", callback: "待回电", question: "留言", ended: "已结束" };
  const BADGE = { waiting: "badge-warn", active: "badge-ok", callback: "badge-muted", question: "badge-muted",
    ended: "badge-muted" };

  // "3 分钟", "1 小时 5 分钟", "不到 1 分钟".
  function waited(seconds) {
    const minutes = Math.floor(seconds / 60);
    if (minutes < 1) return "不到 1 分钟";
    if (minutes < 60) return minutes + " 分钟";
    const hours = Math.floor(minutes / 60);
    return hours + " 小时" + (minutes % 60 ? " " + (minutes % 60) + " 分钟" : "");
  }

  // What the queue shows of a handoff's context: its question, or the applicant's last messages.
  function summaryOf(handoff) {
    const lines = (handoff.summary && handoff.summary.last_messages || []).map(function (m) { return m.text; });
    let text = handoff.question || lines.join(" / ");
    if (text.length > 120) text = text.slice(0, 119) + "…";
    return text || "（暂无留言）";
  }

  // Connects to /api/v1/events; calls onChange(event or null) on every change, and null on every (re)connection,
  // after which the caller fetches afresh. Shows the connection's state in `status` (a role=status element).
  function listen(onChange, status) {
    if (!window.EventSource) return;
    const source = new EventSource("/api/v1/events");
    source.addEventListener("open", function () {
      if (status) status.textContent = "实时更新中";
      onChange(null);
    });
    source.addEventListener("error", function () {
      if (status) status.textContent = "实时更新已断开，正在重新连接…";
    });
    source.addEventListener("resync", function () { onChange(null); });
    source.addEventListener("handoff", function (message) {
      try { onChange(JSON.parse(message.data)); } catch (ignored) { onChange(null); }
    });
    window.addEventListener("pagehide", function () { source.close(); });
  }

  // Runs `work` once, a moment after the last of a burst of calls (a claim moves every place behind it).
  function debounce(work, delay) {
    let timer = null;
    return function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(function () { timer = null; work(); }, delay);
    };
  }

  // MARK: - The queue

  function queuePage(table) {
    const rows = document.getElementById("queue-rows");
    const template = document.getElementById("queue-row");
    const empty = document.getElementById("queue-empty");
    const live = document.getElementById("queue-live");
    const announce = document.getElementById("queue-announce");
    const failure = document.getElementById("queue-error");
    const baseTitle = document.title;
    const known = new Set(Array.from(rows.querySelectorAll("tr[data-id]")).map(function (row) { return row.dataset.id; }));
    let unseen = 0;

    function fill(row, handoff) {
      row.dataset.id = handoff.id;
      const set = function (field, text) {
        const cell = row.querySelector('[data-field="' + field + '"]');
        if (cell) cell.textContent = text;
        return cell;
      };
      set("position", handoff.position ? "第 " + handoff.position + " 位" : "—");
      const link = set("id", handoff.id);
      if (link) link.setAttribute("href", "/console/handoffs/" + encodeURIComponent(handoff.id));
      const urgent = set("urgent", handoff.urgent && handoff.urgent.length ? "紧急" : "");
      if (urgent) urgent.className = urgent.textContent ? "badge badge-alert" : "";
      set("unit", handoff.unit_name);
      const badge = set("status", STATUS[handoff.status] || handoff.status);
      if (badge) badge.className = "badge " + (BADGE[handoff.status] || "badge-muted");
      set("assignee", handoff.assignee ? "（" + handoff.assignee + "）" : "");
      set("wait", waited(handoff.wait_seconds || 0));
      set("summary", summaryOf(handoff));
      return row;
    }

    async function refresh() {
      try {
        const answer = await api("GET", "/api/v1/handoffs?status=waiting,active");
        const handoffs = answer.handoffs || [];
        const fresh = document.createDocumentFragment();
        handoffs.forEach(function (handoff) {
          fresh.appendChild(fill(template.content.firstElementChild.cloneNode(true), handoff));
        });
        rows.replaceChildren(fresh);
        empty.hidden = handoffs.length > 0;
        failure.textContent = "";
        handoffs.forEach(function (handoff) { known.add(handoff.id); });
      } catch (error) {
        failure.textContent = error.message;
      }
    }
    const refreshSoon = debounce(refresh, 150);

    function arrived(event) {
      known.add(event.id);
      announce.textContent = "新的人工服务请求：" + event.id + (event.position ? "，排第 " + event.position + " 位" : "");
      if (document.hidden) {
        unseen += 1;
        document.title = "(" + unseen + ") " + baseTitle;
      }
    }

    document.addEventListener("visibilitychange", function () {
      if (!document.hidden && unseen) {
        unseen = 0;
        document.title = baseTitle;
      }
    });
    listen(function (event) {
      if (event && event.status === "waiting" && !known.has(event.id)) arrived(event);
      refreshSoon();
    }, live);
    // The waiting times move on without any change: fetch them again every half minute.
    setInterval(refreshSoon, 30000);
  }

  // MARK: - One handoff

  const SENDER = { applicant: ["msg-in", "申请人"], bot: ["msg-bot", "机器人"], staff: ["msg-out", "工作人员"],
    note: ["msg-note", "内部备注"], event: ["msg-note", "记录"] };

  // What a transcript's event line says, in Chinese (as the page's first rendering).
  const EVENTS = { claimed: "接入了对话", "taken over": "接管了对话", released: "已交还机器人", closed: "结束了服务",
    left_queue: "申请人退出排队", idle_released: "长时间无回应，已交还机器人", unsubscribed: "申请人取消关注",
    desk_closed: "人工服务时段结束" };
  function eventText(text) {
    if (EVENTS[text]) return EVENTS[text];
    return text.startsWith("transferred to ") ? "转给 " + text.slice("transferred to ".length) : text;
  }

  function time(iso) {
    const date = new Date(iso);
    if (isNaN(date)) return iso;
    const pad = function (n) { return String(n).padStart(2, "0"); };
    return (date.getMonth() + 1) + "月" + date.getDate() + "日 " + pad(date.getHours()) + ":" + pad(date.getMinutes());
  }

  function handoffPage(page) {
    const id = page.dataset.id;
    const transcript = document.getElementById("transcript");
    const changed = document.getElementById("handoff-changed");
    const live = document.getElementById("handoff-live");

    function line(message) {
      const kind = SENDER[message.from] || ["msg-note", message.from];
      const item = document.createElement("div");
      item.className = "msg " + kind[0];
      const meta = document.createElement("span");
      meta.className = "msg-meta";
      meta.textContent = kind[1] + (message.author ? " " + message.author : "") + " · " + time(message.at);
      item.appendChild(meta);
      item.appendChild(document.createTextNode(message.from === "event" ? eventText(message.text) : message.text));
      return item;
    }

    async function refresh() {
      try {
        const handoff = await api("GET", "/api/v1/handoffs/" + encodeURIComponent(id));
        const messages = handoff.messages || [];
        if (messages.length !== transcript.children.length) {
          transcript.replaceChildren.apply(transcript, messages.map(line));
        }
        if (handoff.status !== page.dataset.status || (handoff.assignee || "") !== page.dataset.assignee) {
          changed.hidden = false;
        }
      } catch (error) {
        if (live) live.textContent = error.message;
      }
    }
    const refreshSoon = debounce(refresh, 150);
    listen(function (event) {
      if (!event || event.id === id) refreshSoon();
    }, live);

    const reload = document.getElementById("handoff-reload");
    if (reload) reload.addEventListener("click", function () { location.reload(); });

    // A ready-made reply fills the composer; staff may still edit it before sending.
    const box = document.getElementById("reply-box");
    const picker = document.getElementById("reply-picker");
    const text = document.getElementById("composer-text");
    if (box && picker && text) {
      let replies = [];
      api("GET", "/api/v1/replies").then(function (answer) {
        replies = answer.replies || [];
        replies.forEach(function (reply, index) {
          const option = document.createElement("option");
          option.value = String(index);
          option.textContent = reply.title;
          picker.appendChild(option);
        });
        box.hidden = replies.length === 0;
      }).catch(function () { box.hidden = true; });
      picker.addEventListener("change", function () {
        const reply = replies[Number(picker.value)];
        if (picker.value === "" || !reply) return;
        text.value = reply.text;
        text.focus();
      });
    }
  }

  const queue = document.getElementById("queue");
  if (queue) queuePage(queue);
  const page = document.getElementById("handoff");
  if (page) handoffPage(page);
})();
