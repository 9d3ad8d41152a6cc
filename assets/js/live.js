// Live discussion threads (DESIGN.md, "Live protocol"): an enhancement of pages
// that work fully with JavaScript off.
//
// One socket per tab to /ws/live/. Each thread element on the page
// ([data-live-thread]) is subscribed with the last seq it shows; the server sends
// what came after, then live events. The channel layer may drop events, so a
// message whose seq is not the next one means some were missed: the thread
// subscribes again from the last seq it holds, and anything seen twice is
// dropped by seq. After a lost connection the socket comes back with
// exponential backoff and jitter, so a restarted server is not hit by every tab
// at once.
//
// A lost *last* event leaves no gap to notice, so the server tells each socket
// the head of every stream it follows (`subscribed`, `pong`, and a `heads`
// frame every 25 s or so): a thread holding less subscribes again, the same
// catch-up as for a gap. A tab coming back into view asks at once (ping).
//
// Replies are posted over HTTP (fetch, JSON), never over the socket. A reply
// sent shows at once at the end of the thread, marked as sending, and is kept in
// localStorage with its client id until the server has it: a network error or
// a server error is retried on its own with backoff, with the same client id,
// so it cannot be posted twice (the server gives back the first message), and
// a reload sends it again. The author's own sockets hear the message's client id
// in its event, so the pending copy gives way to the real one as soon as the
// event comes, even when the POST's answer is lost. A reply the server refuses
// goes back into the textarea with the server's reason.

const RECONNECT_FIRST_MS = 1000;
const RECONNECT_MAX_MS = 30000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
const TYPING_EVERY_MS = 2000;
const TYPING_SHOWN_MS = 5000;
const CLOSED_FOR_GOOD = {
  4401: "You have been signed out, so new messages are no longer shown. Sign in again to carry on.",
  4403: "Your account is no longer active, so new messages are no longer shown.",
};
const REVOKED = "You no longer have access to this thread";
const MONTHS = [
  "January", "February", "March", "April", "May", "June", "July", "August",
  "September", "October", "November", "December",
];

function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== false && value !== null && value !== undefined) {
      node.setAttribute(name, value === true ? "" : value);
    }
  }
  node.append(...children);
  return node;
}

function hidden(text) {
  return element("span", { class: "govuk-visually-hidden" }, text);
}

// The server's own date format ("j F Y, H:i"), so live and loaded messages match.
function formatTime(iso) {
  const date = new Date(iso);
  const pad = (n) => String(n).padStart(2, "0");
  return (
    `${date.getDate()} ${MONTHS[date.getMonth()]} ${date.getFullYear()}, ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}`
  );
}

function newClientId() {
  if (window.crypto && typeof crypto.randomUUID === "function") {
    return crypto.randomUUID();
  }
  // Pages served over plain HTTP (not localhost) have no randomUUID.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function showBanner(container, text) {
  if (!container) return;
  const titleId = "live-status-title";
  container.replaceChildren(
    element(
      "div",
      {
        class: "govuk-notification-banner",
        role: "alert",
        "aria-labelledby": titleId,
        "data-module": "govuk-notification-banner",
      },
      element(
        "div",
        { class: "govuk-notification-banner__header" },
        element("h2", { class: "govuk-notification-banner__title", id: titleId }, "Important"),
      ),
      element(
        "div",
        { class: "govuk-notification-banner__content" },
        element("p", { class: "govuk-notification-banner__heading" }, text),
      ),
    ),
  );
}

// Up to `ceiling`, at least half of it: many tabs retrying at once spread out.
function backoff(attempt, first, max) {
  const ceiling = Math.min(max, first * 2 ** attempt);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function bumpNotificationCount() {
  const link = document.querySelector("[data-live-notifications]");
  if (!link) return;
  let count = link.querySelector(".app-count");
  if (!count) {
    count = element("span", { class: "app-count" });
    link.append(" ", count);
  }
  const unread = (parseInt(count.textContent, 10) || 0) + 1;
  count.replaceChildren(String(unread), hidden(" unread"));
}

// One message, built as spaces/templates/spaces/_message.html draws it.
function renderMessage(event, thread) {
  const seq = event.seq;
  const mine = event.author && event.author.username === thread.viewer;
  const author = event.author ? event.author.name : "A former member of staff";
  const meta = element(
    "p",
    { class: "govuk-body-s govuk-!-margin-bottom-1" },
    element("strong", {}, author),
    " ",
    element(
      "a",
      { class: "govuk-link govuk-link--no-visited-state", href: `#message-${seq}` },
      element("time", { datetime: event.created_at }, formatTime(event.created_at)),
    ),
  );
  if (event.edited_at && !event.deleted) meta.append(" ", editedMarker());
  const item = element(
    "li",
    { class: "govuk-!-margin-bottom-0", id: `message-${seq}`, "data-seq": seq },
    meta,
  );
  if (event.deleted) {
    item.append(tombstone());
  } else {
    const body = element("div", { class: "app-prose", "data-body": true });
    body.innerHTML = event.html; // rendered and sanitised by the server (nh3)
    item.append(body);
    if (thread.mayPost) item.append(thread.reactionForm(seq));
    const actions = messageActions(thread, seq, mine);
    if (actions) item.append(actions);
  }
  item.append(
    element("hr", {
      class: "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    }),
  );
  return item;
}

function editedMarker() {
  return element(
    "span",
    { class: "govuk-hint govuk-!-display-inline", "data-edited": true },
    "(edited)",
  );
}

function tombstone() {
  return element(
    "p",
    { class: "govuk-body govuk-hint", "data-body": true },
    element("em", {}, "This message was deleted"),
  );
}

function messageActions(thread, seq, mine) {
  const links = [];
  const base = `${thread.threadUrl}messages/${seq}/`;
  const link = (href, text, what) =>
    element(
      "li",
      {},
      element(
        "a",
        { class: "govuk-link govuk-link--no-visited-state", href },
        text,
        hidden(what),
      ),
    );
  if (mine && thread.mayPost && !thread.locked) {
    links.push(link(`${base}edit/`, "Edit", " your message"));
  }
  if ((mine && thread.mayPost) || thread.mayModerate) {
    links.push(link(`${base}delete/`, "Delete", mine ? " your message" : " this message"));
  }
  if (!links.length) return null;
  return element(
    "ul",
    { class: "app-inline-list govuk-body-s govuk-!-margin-bottom-2", "data-actions": true },
    ...links,
  );
}

// A reply on its way: its text as typed (not yet rendered by the server) and
// a tag saying where it stands.
function pendingItem(entry, thread) {
  return element(
    "li",
    { class: "govuk-!-margin-bottom-0 app-pending", "data-pending": entry.clientId },
    element(
      "p",
      { class: "govuk-body-s govuk-!-margin-bottom-1" },
      element("strong", {}, thread.viewerName),
      " ",
      element("strong", { class: "govuk-tag govuk-tag--grey", "data-pending-status": true }, "Sending"),
    ),
    element("div", { class: "app-prose app-pending__body" }, entry.body),
    element("p", { class: "govuk-body-s govuk-hint", "data-pending-detail": true }),
    element("hr", {
      class: "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    }),
  );
}

function reactionButton(emoji, count, mine) {
  return element(
    "button",
    {
      type: "submit",
      name: "emoji",
      value: emoji,
      class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-2 govuk-!-margin-right-1",
      "data-module": "govuk-button",
      "data-emoji": emoji,
      "aria-pressed": mine ? "true" : "false",
    },
    `${emoji} ${count}`,
    hidden(` ${count === 1 ? "reaction" : "reactions"}${mine ? ", including yours" : ""}`),
  );
}

class Connection {
  constructor() {
    this.threads = new Map();
    this.socket = null;
    this.attempt = 0;
    this.timer = null;
    this.stopped = false;
  }

  add(thread) {
    this.threads.set(thread.stream, thread);
  }

  connect() {
    if (this.stopped || this.socket) return;
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws/live/`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.attempt = 0;
      for (const thread of this.threads.values()) {
        thread.subscribe();
        if (thread.reply) thread.reply.retryNow(); // the server is back
      }
    });
    socket.addEventListener("message", (event) => this.receive(event.data));
    socket.addEventListener("close", (event) => this.closed(socket, event.code));
  }

  send(frame) {
    if (!this.socket || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  receive(data) {
    let event;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    if (event.type === "notification") {
      bumpNotificationCount();
      return;
    }
    if (event.type === "pong" || event.type === "heads") {
      for (const [stream, head] of Object.entries(event.heads || {})) {
        const thread = this.threads.get(stream);
        if (thread) thread.head(head);
      }
      return;
    }
    // A refused subscription answers with the stream as its ref.
    const stream = event.type === "error" ? event.ref : event.stream;
    const thread = this.threads.get(stream);
    if (thread) thread.handle(event);
  }

  closed(socket, code) {
    if (this.socket !== socket) return;
    this.socket = null;
    for (const thread of this.threads.values()) {
      if (thread.active) thread.setState("connecting");
    }
    if (CLOSED_FOR_GOOD[code]) {
      this.stopped = true;
      for (const thread of this.threads.values()) thread.stop(CLOSED_FOR_GOOD[code]);
      return;
    }
    if (this.stopped) return;
    const delay = backoff(this.attempt, RECONNECT_FIRST_MS, RECONNECT_MAX_MS);
    this.attempt += 1;
    this.timer = window.setTimeout(() => this.connect(), delay);
  }

  // Where do the threads stand? The pong carries every stream's head.
  ping() {
    this.send({ type: "ping" });
  }

  // The network is back: no need to wait out the backoff.
  reconnectNow() {
    if (this.socket || this.stopped) return;
    window.clearTimeout(this.timer);
    this.connect();
  }
}

class LiveThread {
  constructor(root, connection) {
    const data = root.dataset;
    this.root = root;
    this.connection = connection;
    this.stream = data.stream;
    this.last = Number(data.lastSeq) || 0;
    this.change = Number(data.lastChange) || 0;
    this.messagesUrl = data.messagesUrl;
    this.threadUrl = data.threadUrl;
    this.viewer = data.viewer;
    this.viewerName = data.viewerName || data.viewer;
    this.mayPost = data.mayPost === "true";
    this.mayModerate = data.mayModerate === "true";
    this.locked = data.locked === "true";
    this.emoji = (data.reactions || "").split(" ").filter(Boolean);
    this.list = root.querySelector("[data-messages]");
    this.typingLine = root.querySelector("[data-typing]");
    this.status = document.querySelector("[data-live-status]");
    this.csrfToken = (document.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
    this.typists = new Map();
    this.readSent = this.last;
    this.syncing = false;
    this.active = true;
    const form = root.querySelector("[data-reply-form]");
    this.reply = form ? new Reply(form, this) : null;
    this.list.addEventListener("submit", (event) => this.react(event));
    this.setState("connecting");
  }

  // data-live-state says how the thread stands: connecting, live, stopped.
  setState(state) {
    this.root.dataset.liveState = state;
  }

  subscribe() {
    if (!this.active) return;
    this.syncing = this.connection.send({
      type: "subscribe",
      stream: this.stream,
      after: this.last,
      since: this.change,
      ref: this.stream,
    });
  }

  handle(event) {
    if (!this.active) return;
    switch (event.type) {
      case "message":
        this.receiveMessage(event);
        break;
      case "subscribed":
        // `last` is the thread's head: more than the backlog brought means it
        // was cut, and the rest comes over HTTP.
        this.syncing = false;
        this.change = Math.max(this.change, event.change || 0);
        this.setState("live");
        if (event.truncated || event.last > this.last) this.catchUp();
        else this.markRead();
        break;
      case "message_edited":
        if (this.takeChange(event)) this.edited(event);
        break;
      case "message_deleted":
        if (this.takeChange(event)) this.deleted(event);
        break;
      case "reaction":
        if (this.takeChange(event)) this.showReactions(event.seq, event.reactions);
        break;
      case "typing":
        this.typing(event.user);
        break;
      case "thread_changed":
        this.changed(event);
        break;
      case "access_revoked":
        this.stop(REVOKED);
        break;
      case "error":
        if (event.code === "not_found" || event.code === "forbidden") this.stop(REVOKED);
        break;
      default:
        break;
    }
  }

  // Edits, deletions and reactions are numbered 1, 2, 3… per thread, like
  // messages: one already applied is skipped, and a gap means one was missed,
  // so subscribe again with the last change held. (A backlog after a
  // subscription carries each changed message once, at its latest change, so
  // gaps there are expected.)
  takeChange(event) {
    const change = Number(event.change) || 0;
    if (change <= this.change) return false;
    if (!this.syncing && change > this.change + 1) {
      this.subscribe();
      return false;
    }
    this.change = change;
    return true;
  }

  // The head of the thread, from a pong or a heads frame: behind it, some
  // event never came (the last of a burst, say), so catch up as for a gap.
  head(head) {
    if (!this.active || this.syncing) return;
    if ((Number(head.last) || 0) > this.last || (Number(head.change) || 0) > this.change) {
      this.subscribe();
    }
  }

  receiveMessage(event) {
    if (event.seq > this.last + 1) {
      // Something between was missed: ask again from what we hold.
      if (!this.syncing) this.subscribe();
      return;
    }
    if (event.seq === this.last + 1) {
      // Before the replies still on their way: they come after it.
      this.list.insertBefore(renderMessage(event, this), this.list.querySelector("[data-pending]"));
      this.last = event.seq;
      if (event.author) this.typingStopped(event.author.name);
      this.markRead();
    }
    // Our own message (only our sockets hear its client id), and shown: the
    // pending copy goes, whether or not the POST's answer ever comes.
    if (event.client_id && this.reply && event.seq <= this.last) {
      this.reply.delivered(event.client_id);
    }
  }

  // A backlog too long for one subscription: page the rest over HTTP, then
  // subscribe again for whatever came meanwhile.
  async catchUp() {
    this.syncing = true;
    try {
      for (;;) {
        const response = await fetch(`${this.messagesUrl}?after=${this.last}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) break;
        const page = await response.json();
        for (const message of page.messages) this.receiveMessage(message);
        if (!page.truncated) break;
      }
    } catch {
      // The next subscription catches up instead.
    }
    this.syncing = false;
    this.subscribe();
  }

  markRead() {
    if (document.visibilityState !== "visible" || this.last <= this.readSent) return;
    if (this.connection.send({ type: "read", stream: this.stream, seq: this.last })) {
      this.readSent = this.last;
    }
  }

  item(seq) {
    return this.list.querySelector(`[data-seq="${seq}"]`);
  }

  edited(event) {
    const item = this.item(event.seq);
    if (!item || event.deleted) return;
    const body = item.querySelector("[data-body]");
    if (body) body.innerHTML = event.html; // sanitised by the server
    if (!item.querySelector("[data-edited]")) {
      item.querySelector("p").append(" ", editedMarker());
    }
  }

  deleted(event) {
    const item = this.item(event.seq);
    if (!item) return;
    for (const part of item.querySelectorAll(
      "[data-body], [data-history], [data-reactions], [data-reaction-counts], [data-actions], [data-edited]",
    )) {
      part.remove();
    }
    item.querySelector("p").after(tombstone());
  }

  reactionForm(seq) {
    const picker = element(
      "details",
      { class: "govuk-details govuk-!-margin-bottom-2" },
      element(
        "summary",
        { class: "govuk-details__summary" },
        element(
          "span",
          { class: "govuk-details__summary-text" },
          "React",
          hidden(" to this message"),
        ),
      ),
      element(
        "div",
        { class: "govuk-details__text" },
        ...this.emoji.map((emoji) =>
          element(
            "button",
            {
              type: "submit",
              name: "emoji",
              value: emoji,
              class: "govuk-button govuk-button--secondary govuk-!-margin-bottom-1 govuk-!-margin-right-1",
              "data-module": "govuk-button",
            },
            emoji,
          ),
        ),
      ),
    );
    return element(
      "form",
      {
        method: "post",
        action: `${this.threadUrl}messages/${seq}/react/`,
        "data-reactions": true,
      },
      element("input", { type: "hidden", name: "csrfmiddlewaretoken", value: this.csrfToken }),
      element("div", { "data-reaction-counts": true }),
      picker,
    );
  }

  // Which reactions are the viewer's own: the page says, and their own toggles
  // keep it up to date (reaction events carry only counts).
  ownReactions(item) {
    if (!item.ownReactions) {
      item.ownReactions = new Set(
        Array.from(item.querySelectorAll('[data-emoji][aria-pressed="true"]'), (b) => b.dataset.emoji),
      );
    }
    return item.ownReactions;
  }

  showReactions(seq, reactions) {
    const item = this.item(seq);
    if (!item) return;
    const counts = item.querySelector("[data-reaction-counts]");
    if (!counts) return;
    const own = this.ownReactions(item);
    if (counts.tagName === "UL") {
      counts.replaceChildren(
        ...reactions.map((r) =>
          element("li", {}, `${r.emoji} ${r.count}`, hidden(r.count === 1 ? " reaction" : " reactions")),
        ),
      );
      return;
    }
    counts.replaceChildren(...reactions.map((r) => reactionButton(r.emoji, r.count, own.has(r.emoji))));
  }

  async react(event) {
    const form = event.target.closest("[data-reactions]");
    const button = event.submitter;
    if (!form || !button || !button.value) return;
    event.preventDefault();
    const item = form.closest("[data-seq]");
    const data = new FormData(form);
    data.set("emoji", button.value);
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: data,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) throw new Error(String(response.status));
      const answer = await response.json();
      const own = this.ownReactions(item);
      if (answer.added) own.add(button.value);
      else own.delete(button.value);
      this.showReactions(answer.reaction.seq, answer.reaction.reactions);
      const picker = form.querySelector("details");
      if (picker) picker.open = false;
    } catch {
      // Let the server's page say what went wrong.
      form.append(element("input", { type: "hidden", name: "emoji", value: button.value }));
      HTMLFormElement.prototype.submit.call(form);
    }
  }

  typing(user) {
    if (!user || user.username === this.viewer) return;
    window.clearTimeout(this.typists.get(user.name));
    this.typists.set(
      user.name,
      window.setTimeout(() => this.typingStopped(user.name), TYPING_SHOWN_MS),
    );
    this.showTyping();
  }

  typingStopped(name) {
    if (!this.typists.has(name)) return;
    window.clearTimeout(this.typists.get(name));
    this.typists.delete(name);
    this.showTyping();
  }

  showTyping() {
    if (!this.typingLine) return;
    const names = Array.from(this.typists.keys());
    let text = "";
    if (names.length === 1) text = `${names[0]} is typing…`;
    else if (names.length === 2) text = `${names[0]} and ${names[1]} are typing…`;
    else if (names.length > 2) text = "Several people are typing…";
    this.typingLine.textContent = text;
  }

  sendTyping() {
    this.connection.send({ type: "typing", stream: this.stream });
  }

  changed(event) {
    const tags = document.querySelector("[data-thread-tags]");
    for (const [field, label, colour] of [
      ["pinned", "Pinned", ""],
      ["locked", "Locked", " govuk-tag--orange"],
    ]) {
      if (!(field in event)) continue;
      const tag = tags && tags.querySelector(`[data-tag="${field}"]`);
      if (event[field] && tags && !tag) {
        tags.append(" ", element("strong", { class: `govuk-tag${colour}`, "data-tag": field }, label));
      } else if (!event[field] && tag) {
        tag.remove();
      }
    }
    if ("locked" in event) {
      this.locked = event.locked;
      if (this.reply) this.reply.setLocked(event.locked);
    }
  }

  stop(message) {
    this.active = false;
    this.setState("stopped");
    this.typists.clear();
    this.showTyping();
    if (this.reply) this.reply.setLocked(true, message);
    showBanner(this.status, message);
  }
}

class Reply {
  constructor(form, thread) {
    this.form = form;
    this.thread = thread;
    this.textarea = form.querySelector("textarea[name=body]");
    this.button = form.querySelector("button[type=submit]");
    this.key = `crossgov:draft:${thread.stream}`;
    this.pendingKey = `crossgov:pending:${thread.stream}`;
    this.lastTyping = 0;
    this.sending = false;
    this.attempt = 0;
    this.retryTimer = null;
    this.notice = null;
    const draft = this.load();
    // A reply refused by the server comes back in the textarea: it wins.
    if (draft && !this.textarea.value.trim()) this.textarea.value = draft.body;
    this.clientId = (draft && draft.clientId) || newClientId();
    // Replies sent before a reload whose answer never came: send them again
    // (the same client id, so one the server already has is not doubled).
    this.pending = this.loadPending();
    for (const entry of this.pending) thread.list.append(pendingItem(entry, thread));
    this.textarea.addEventListener("input", () => {
      this.save();
      this.typed();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.send();
    });
    this.pump();
  }

  load() {
    try {
      const draft = JSON.parse(window.localStorage.getItem(this.key));
      if (draft && typeof draft.body === "string" && typeof draft.clientId === "string") {
        return draft;
      }
    } catch {
      // No storage (private mode, or turned off): drafts last as long as the page.
    }
    return null;
  }

  save() {
    try {
      if (this.textarea.value.trim()) {
        window.localStorage.setItem(
          this.key,
          JSON.stringify({ body: this.textarea.value, clientId: this.clientId }),
        );
      } else {
        window.localStorage.removeItem(this.key);
      }
    } catch {
      // As in load().
    }
  }

  loadPending() {
    try {
      const pending = JSON.parse(window.localStorage.getItem(this.pendingKey));
      if (Array.isArray(pending)) {
        return pending.filter(
          (entry) => entry && typeof entry.body === "string" && typeof entry.clientId === "string",
        );
      }
    } catch {
      // As in load(): pending replies then last as long as the page.
    }
    return [];
  }

  savePending() {
    try {
      if (this.pending.length) {
        window.localStorage.setItem(this.pendingKey, JSON.stringify(this.pending));
      } else {
        window.localStorage.removeItem(this.pendingKey);
      }
    } catch {
      // As in load().
    }
  }

  typed() {
    const now = Date.now();
    if (!this.textarea.value.trim() || now - this.lastTyping < TYPING_EVERY_MS) return;
    this.lastTyping = now;
    this.thread.sendTyping();
  }

  // The reply joins the end of the thread at once, marked as sending, and the
  // textarea is free for the next one.
  send() {
    const body = this.textarea.value;
    if (!body.trim()) {
      this.showError("Write a message.");
      return;
    }
    const entry = { body, clientId: this.clientId };
    this.pending.push(entry);
    this.savePending();
    this.thread.list.append(pendingItem(entry, this.thread));
    this.textarea.value = "";
    this.clientId = newClientId();
    this.save();
    this.clearError();
    this.pump();
  }

  pendingItem(clientId) {
    return Array.from(this.thread.list.querySelectorAll("[data-pending]")).find(
      (item) => item.dataset.pending === clientId,
    );
  }

  // The server has this reply: nothing more to send.
  forget(clientId) {
    const before = this.pending.length;
    this.pending = this.pending.filter((entry) => entry.clientId !== clientId);
    if (this.pending.length !== before) this.savePending();
  }

  // The server has this reply and the thread shows it.
  delivered(clientId) {
    this.forget(clientId);
    const item = this.pendingItem(clientId);
    if (item) item.remove();
  }

  // Send the oldest pending reply, then the next, in the order they were written.
  async pump() {
    if (this.sending || this.retryTimer || !this.pending.length) return;
    const entry = this.pending[0];
    this.sending = true;
    this.mark(entry, "Sending", "");
    let response = null;
    let answer = null;
    try {
      response = await fetch(this.form.action, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          Accept: "application/json",
          "Content-Type": "application/json",
          "X-CSRFToken": this.thread.csrfToken,
        },
        body: JSON.stringify({ body: entry.body, client_id: entry.clientId }),
      });
      answer = await response.json();
    } catch {
      answer = null;
    }
    this.sending = false;
    if (!this.pending.includes(entry)) {
      // Its event came first and it is shown already.
    } else if (response && response.ok && answer && answer.message) {
      // Shown now, and the pending copy gone; or, after a gap, when the
      // catch-up brings it (its client id with it).
      this.attempt = 0;
      this.forget(entry.clientId);
      this.thread.receiveMessage(answer.message);
    } else if (!response || response.status >= 500 || response.status === 429) {
      // The network, or the server, or posting too fast: none of them is about
      // this reply, so it waits and goes again by itself.
      const delay = backoff(this.attempt, RETRY_FIRST_MS, RETRY_MAX_MS);
      this.attempt += 1;
      const why = (answer && answer.error && answer.error.detail) || (response
        ? "The server could not take it just now."
        : "Your connection seems to be down.");
      this.mark(entry, "Waiting to send", `${why} It will be sent again by itself; it is kept until then.`);
      this.retryTimer = window.setTimeout(() => {
        this.retryTimer = null;
        this.pump();
      }, delay);
      return;
    } else {
      this.refused(entry, answer && answer.error ? answer.error.detail : null);
    }
    this.pump();
  }

  // Now, not at the end of the backoff: the connection has just come back.
  retryNow() {
    if (!this.retryTimer) return;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.pump();
  }

  mark(entry, status, detail) {
    const item = this.pendingItem(entry.clientId);
    if (!item) return;
    const tag = item.querySelector("[data-pending-status]");
    tag.textContent = status;
    tag.classList.toggle("govuk-tag--grey", status === "Sending");
    tag.classList.toggle("govuk-tag--yellow", status !== "Sending");
    item.querySelector("[data-pending-detail]").textContent = detail;
  }

  // The server will not take this reply as it is: it goes back into the
  // textarea (before anything typed since) with the server's reason.
  refused(entry, detail) {
    this.delivered(entry.clientId);
    const typed = this.textarea.value;
    this.textarea.value = typed.trim() ? `${entry.body}\n\n${typed}` : entry.body;
    this.save();
    this.showError(
      detail || "Your reply has not been sent. Reload the page, then try again: your reply is kept.",
    );
  }

  showError(text) {
    const group = this.textarea.closest(".govuk-form-group");
    const id = `${this.textarea.id}-error`;
    let message = group.querySelector(".govuk-error-message");
    if (!message) {
      message = element("p", { id, class: "govuk-error-message" });
      this.textarea.before(message);
      const described = (this.textarea.getAttribute("aria-describedby") || "").split(" ");
      this.textarea.setAttribute("aria-describedby", [...described, id].filter(Boolean).join(" "));
    }
    message.replaceChildren(hidden("Error:"), ` ${text}`);
    group.classList.add("govuk-form-group--error");
    this.textarea.classList.add("govuk-textarea--error");
    this.textarea.focus();
  }

  clearError() {
    const group = this.textarea.closest(".govuk-form-group");
    const message = group.querySelector(".govuk-error-message");
    if (message) {
      const described = (this.textarea.getAttribute("aria-describedby") || "")
        .split(" ")
        .filter((id) => id && id !== message.id);
      if (described.length) this.textarea.setAttribute("aria-describedby", described.join(" "));
      else this.textarea.removeAttribute("aria-describedby");
      message.remove();
    }
    group.classList.remove("govuk-form-group--error");
    this.textarea.classList.remove("govuk-textarea--error");
  }

  // A locked thread (or lost access) takes no replies; the draft stays saved.
  setLocked(locked, reason = "This thread is locked: nobody can reply.") {
    this.form.hidden = locked;
    if (locked && !this.notice) {
      this.notice = element("div", { class: "govuk-inset-text" }, reason);
      this.form.after(this.notice);
    } else if (!locked && this.notice) {
      this.notice.remove();
      this.notice = null;
    }
  }
}

function start() {
  const roots = document.querySelectorAll("[data-live-thread]");
  if (!roots.length || !("WebSocket" in window)) return;
  const connection = new Connection();
  const threads = Array.from(roots, (root) => new LiveThread(root, connection));
  for (const thread of threads) connection.add(thread);
  connection.connect();
  document.addEventListener("visibilitychange", () => {
    for (const thread of threads) thread.markRead();
    // Back in view after a while: anything missed meanwhile shows now.
    if (document.visibilityState === "visible") connection.ping();
  });
  window.addEventListener("online", () => {
    connection.reconnectNow();
    for (const thread of threads) if (thread.reply) thread.reply.retryNow();
  });
}

start();
