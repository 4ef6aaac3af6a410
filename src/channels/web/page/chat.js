// The web chat page: pick a demo member, then talk to chibo as that member. Plain browser
// JavaScript served inline (no build step). Every text comes from locales/<lang>/web.json.
(() => {
  "use strict";
  const API = "/chat/api";
  const LONG_POLL_SECONDS = 25;
  const RETRY_MS = 3000;
  /** The length of a text is shown from this many characters on, and always past the limit. */
  const COUNT_FROM_CHARS = 500;
  /** Texts sent lately, by the page's id for them, to give one back when chibo does not take it. */
  const SENT_KEPT = 20;
  /** chibo keeps photos up to 10 MB; a larger one is refused here before it is read. */
  const MAX_PHOTO_MB = 10;
  const WORDS = JSON.parse(document.getElementById("words").textContent);
  const $ = (id) => document.getElementById(id);
  const saved = (key) => { try { return localStorage.getItem(key); } catch { return null; } };
  const save = (key, value) => { try { value === null ? localStorage.removeItem(key) : localStorage.setItem(key, value); } catch { /* private mode */ } };

  const state = {
    lang: saved("chibo.lang") === "en" ? "en" : "vi",
    members: null,
    member: null,
    cursor: 0,
    /** Changes whenever the chat view changes: a poll of an older view stops. */
    session: 0,
    poll: null,
    /** The last text that failed to send and its id, so sending it again is stored once. */
    retry: null,
    /** The longest text the server takes (from /pick); nothing typed or pasted is cut to it. */
    textLimit: 4000,
    sent: new Map(),
  };

  function t(key, params) {
    const words = WORDS[state.lang];
    const plural = params && typeof params.count === "number" ? words[`${key}_${params.count === 1 ? "one" : "other"}`] : undefined;
    const text = plural ?? words[key] ?? WORDS.vi[key] ?? key;
    return text.replace(/\{\{(\w+)\}\}/g, (_, name) => (params && name in params ? String(params[name]) : ""));
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (name === "class") node.className = value;
      else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function newClientId() {
    return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
  }

  class ApiError extends Error {
    constructor(message, offline) {
      super(message);
      this.offline = offline;
    }
  }

  /** Calls the API; a network failure is "offline", an error answer carries its translated sentence. */
  async function api(method, path, body, signal) {
    let res;
    try {
      res = await fetch(`${API}${path}`, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify({ ...body, lang: state.lang }) : undefined,
        signal,
      });
    } catch (error) {
      if (signal && signal.aborted) throw error;
      throw new ApiError(t("offline"), true);
    }
    let json = null;
    try { json = await res.json(); } catch { /* not JSON: a proxy's error page */ }
    setOffline(false);
    if (!res.ok) throw new ApiError((json && json.message) || t(res.status >= 500 ? "internalError" : "badRequest"), res.status >= 502 && res.status <= 504);
    return json;
  }

  function setOffline(offline) {
    $("offline").hidden = !offline;
  }

  function showError(message) {
    $("error").textContent = message || "";
    $("error").hidden = !message;
  }

  function report(error) {
    if (error && error.offline) setOffline(true);
    else showError(error instanceof Error ? error.message : String(error));
  }

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // --- words -------------------------------------------------------------------------------

  function applyWords() {
    document.documentElement.lang = state.lang;
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-w]")) node.textContent = t(node.dataset.w);
    for (const node of document.querySelectorAll("[data-w-placeholder]")) node.placeholder = t(node.dataset.wPlaceholder);
    $("lang").textContent = t("switchLanguage");
    $("lang").lang = state.lang === "vi" ? "en" : "vi";
    if (state.members) renderPicker();
    if (state.member) renderWho();
    const empty = document.querySelector(".msg.empty");
    if (empty) empty.textContent = t("emptyChat");
    updateCount();
  }

  const roleLabels = (roles) => {
    const shown = roles.filter((role) => role !== "member");
    return (shown.length ? shown : roles).map((role) => t(`role_${role}`)).join(", ");
  };

  // --- picking a member --------------------------------------------------------------------

  async function loadMembers() {
    const { members } = await api("GET", "/members");
    state.members = members;
    renderPicker();
  }

  function renderPicker() {
    const box = $("cells");
    box.replaceChildren();
    if (state.members.length === 0) {
      box.append(
        el("p", {}, t("noDemoData")),
        el("pre", { class: "command" }, "npm run chibo -- demo"),
        el("button", { type: "button", onclick: () => { showError(""); loadMembers().catch(report); } }, t("reload")),
      );
      return;
    }
    const cells = new Map();
    for (const member of state.members) {
      if (!cells.has(member.cellCode)) cells.set(member.cellCode, { name: member.cellName, members: [] });
      cells.get(member.cellCode).members.push(member);
    }
    for (const cell of cells.values()) {
      box.append(el("section", { class: "cell" },
        el("h2", {}, cell.name, el("small", {}, t("memberCount", { count: cell.members.length }))),
        el("ul", {}, ...cell.members.map((member) => el("li", {},
          el("button", { type: "button", class: "member", "data-member-id": String(member.id), onclick: () => pick(member.id).catch(report) },
            el("span", { class: "name" }, member.fullName),
            el("span", { class: "role" }, roleLabels(member.roles))))))));
    }
  }

  async function pick(memberId) {
    showError("");
    const res = await api("POST", "/pick", { memberId });
    state.session += 1;
    state.member = res.member;
    state.cursor = res.cursor;
    state.retry = null;
    state.sent.clear();
    if (res.textLimit) state.textLimit = res.textLimit;
    save("chibo.member", String(res.member.id));
    $("picker").hidden = true;
    $("chat").hidden = false;
    $("change").hidden = false;
    renderWho();
    $("log").replaceChildren();
    for (const item of res.history) addItem(item);
    if (res.history.length === 0) $("log").append(el("li", { class: "msg empty" }, t("emptyChat")));
    scrollDown();
    $("text").focus();
    void pollLoop(state.session);
  }

  function leaveChat() {
    state.session += 1;
    state.member = null;
    if (state.poll) state.poll.abort();
    save("chibo.member", null);
    showError("");
    $("chat").hidden = true;
    $("change").hidden = true;
    $("picker").hidden = false;
    loadMembers().catch(report);
  }

  function renderWho() {
    $("who").textContent = t("chattingAs", { name: state.member.fullName, cell: state.member.cellName });
  }

  // --- the conversation --------------------------------------------------------------------

  function scrollDown() {
    const log = $("log");
    log.scrollTop = log.scrollHeight;
    log.lastElementChild?.scrollIntoView({ block: "end" });
  }

  function addItem(item) {
    const empty = document.querySelector(".msg.empty");
    if (empty) empty.remove();
    if (item.from === "me") {
      // A photo just sent shows itself (its data URL); one from the history, a mark.
      const photo = typeof item.photo === "string" ? el("img", { class: "photo", src: item.photo, alt: t("photo") }) : item.photo ? `📷 ${t("photo")}` : null;
      return $("log").appendChild(el("li", { class: "msg me", "aria-label": t("you") }, photo, photo && item.text ? el("br") : null, item.text));
    }
    const node = el("li", { class: "msg bot", "aria-label": t("bot"), "data-id": String(item.id) }, item.text);
    if (item.attachment && item.attachment.photoRef) {
      const src = `${API}/photo?memberId=${state.member.id}&messageId=${item.id}`;
      node.append(el("br"), el("img", { class: "photo", src, alt: item.attachment.fileName }));
    } else if (item.attachment) {
      const { fileName, mimeType, base64 } = item.attachment;
      node.append(el("br"), el("a", { class: "file", href: `data:${mimeType};base64,${base64}`, download: fileName }, `📎 ${t("download", { fileName })}`));
    }
    if (item.buttons && item.buttons.length) {
      node.append(el("div", { class: "buttons" }, ...item.buttons.map((row) => el("div", { class: "row" },
        ...row.map((button) => el("button", { type: "button", "data-payload": button.payload, onclick: () => void send({ button }) }, button.label))))));
    }
    return $("log").appendChild(node);
  }

  /** Sends a text or a button press; the text goes back into the box when it could not be sent. */
  async function send(what) {
    if (!state.member) return;
    const text = what.text !== undefined ? what.text.trim() : undefined;
    if (text === "") return showError(t("textEmpty"));
    const clientId = text !== undefined && state.retry && state.retry.text === text ? state.retry.clientId : newClientId();
    const body = { memberId: state.member.id, clientId, ...(what.button ? { button: what.button } : { text }) };
    const bubble = addItem({ from: "me", text: what.button ? what.button.label : text });
    bubble.classList.add("pending");
    scrollDown();
    try {
      // Remembered before the answer to the send: chibo's reply may be read first.
      if (text !== undefined) remember(clientId, text);
      await api("POST", "/send", body);
      bubble.classList.remove("pending");
      state.retry = null;
      showError("");
    } catch (error) {
      bubble.remove();
      if (text !== undefined) {
        state.sent.delete(clientId);
        state.retry = { text, clientId };
        if ($("text").value.trim() === "") $("text").value = text;
        updateCount();
      }
      if (error.offline) {
        setOffline(true);
        showError(t("sendFailed"));
      } else report(error);
    }
  }

  function readAsDataUrl(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.onerror = () => reject(reader.error);
      reader.readAsDataURL(file);
    });
  }

  /** Sends a chosen photo with the text in the box as its caption; a refused one leaves the text in the box. */
  async function sendPhoto(file) {
    if (!state.member || !file) return;
    if (file.size > MAX_PHOTO_MB * 1024 * 1024) return showError(t("photoTooLarge", { maxMb: MAX_PHOTO_MB }));
    const box = $("text");
    const text = box.value.trim();
    let dataUrl;
    try {
      dataUrl = await readAsDataUrl(file);
    } catch {
      return showError(t("photoUnreadable"));
    }
    const bubble = addItem({ from: "me", text, photo: dataUrl });
    bubble.classList.add("pending");
    box.value = "";
    scrollDown();
    try {
      const photo = dataUrl.slice(dataUrl.indexOf(",") + 1);
      await api("POST", "/photo", { memberId: state.member.id, clientId: newClientId(), photo, ...(text ? { text } : {}) });
      bubble.classList.remove("pending");
      showError("");
    } catch (error) {
      bubble.remove();
      if (text && box.value.trim() === "") box.value = text;
      if (error.offline) {
        setOffline(true);
        showError(t("sendFailed"));
      } else report(error);
    }
  }

  function remember(clientId, text) {
    state.sent.set(clientId, text);
    if (state.sent.size > SENT_KEPT) state.sent.delete(state.sent.keys().next().value);
  }

  /** chibo answered a text of ours as such (it did not take it, too long say): back into the box to be mended. */
  function giveBack(item) {
    const text = item.replyTo !== undefined ? state.sent.get(item.replyTo) : undefined;
    if (text === undefined) return;
    state.sent.delete(item.replyTo);
    const box = $("text");
    if (box.value.trim() !== "") return;
    box.value = text;
    updateCount();
    box.focus();
  }

  /** How long the text in the box is, against the limit: shown for long texts, marked past the limit. */
  function updateCount() {
    const count = [...$("text").value].length;
    const node = $("count");
    node.hidden = count < COUNT_FROM_CHARS && count <= state.textLimit;
    node.textContent = t("textCount", { count, max: state.textLimit });
    node.classList.toggle("over", count > state.textLimit);
  }

  /** Long-polls chibo's answers for as long as this chat view is open. */
  async function pollLoop(session) {
    while (session === state.session) {
      const controller = new AbortController();
      state.poll = controller;
      try {
        const res = await api("GET", `/messages?memberId=${state.member.id}&after=${state.cursor}&wait=${LONG_POLL_SECONDS}&lang=${state.lang}`, undefined, controller.signal);
        if (session !== state.session) return;
        for (const item of res.messages) {
          addItem(item);
          giveBack(item);
        }
        if (res.messages.length) scrollDown();
        state.cursor = res.cursor;
      } catch (error) {
        if (session !== state.session) return;
        report(error);
        await sleep(RETRY_MS);
      }
    }
  }

  // --- wiring ------------------------------------------------------------------------------

  $("lang").addEventListener("click", () => {
    state.lang = state.lang === "vi" ? "en" : "vi";
    save("chibo.lang", state.lang);
    applyWords();
  });
  $("change").addEventListener("click", leaveChat);
  $("composer").addEventListener("submit", (event) => {
    event.preventDefault();
    const box = $("text");
    const text = box.value;
    if (text.trim() === "") return showError(t("textEmpty"));
    // Too long: said here, and the text stays in the box to be shortened.
    const count = [...text.trim()].length;
    if (count > state.textLimit) return showError(t("textOverLimit", { count, max: state.textLimit }));
    box.value = "";
    updateCount();
    void send({ text });
  });
  $("text").addEventListener("input", updateCount);
  $("text").addEventListener("keydown", (event) => {
    // Enter sends, Shift+Enter breaks the line, as in chat apps; not while composing (IME).
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      $("composer").requestSubmit();
    }
  });
  $("photoButton").addEventListener("click", () => $("photoFile").click());
  $("photoFile").addEventListener("change", (event) => {
    const [file] = event.target.files;
    event.target.value = "";
    void sendPhoto(file);
  });
  for (const chip of document.querySelectorAll("[data-command]")) chip.addEventListener("click", () => void send({ text: chip.dataset.command }));

  applyWords();
  loadMembers()
    .then(() => {
      const remembered = Number(saved("chibo.member"));
      if (remembered && state.members.some((m) => m.id === remembered)) return pick(remembered);
    })
    .catch((error) => {
      report(error);
      // Keep trying while the server is away, so the page comes back by itself.
      if (error && error.offline) setTimeout(() => location.reload(), RETRY_MS * 2);
    });
})();
