// Suggestions as you type in a search box: people, spaces and threads whose
// name or title has the words typed, the last one as a prefix of at least
// three letters. They come from /search/suggest/ (JSON), which answers only
// with what the reader may see.
//
// An enhancement: without it each box is a plain GET form to the search page,
// and it stays one: Enter searches unless a suggestion is highlighted.
//
// The box becomes an ARIA 1.2 combobox, as GOV.UK's accessible-autocomplete
// does it: aria-expanded, aria-controls naming the list, aria-activedescendant
// naming the highlighted option. Down and Up move through the suggestions,
// Enter opens the highlighted one, Escape closes the list. A status region says
// how many suggestions there are, for screen reader users.

const MIN_PREFIX = 3;
const DELAY_MS = 200;
// The header's box (templates/base.html) and any box that asks for it.
const BOXES = "#header-search, [data-search-autocomplete]";
// The highlighted suggestion: our own modifier, and GOV.UK's bold override so
// that it shows before any style of ours does.
const ACTIVE = ["app-search-suggestions__option--active", "govuk-!-font-weight-bold"];

let boxes = 0;

function lastWord(text) {
  const words = text.trim().split(/\s+/);
  return words[words.length - 1] || "";
}

function option(listboxId, index, suggestion) {
  const item = document.createElement("li");
  item.id = `${listboxId}-${index}`;
  item.className = "app-search-suggestions__option govuk-body-s";
  item.setAttribute("role", "option");
  item.setAttribute("aria-selected", "false");
  // Text only, never HTML: names and titles are other people's writing.
  const label = document.createElement("span");
  label.className = "app-search-suggestions__label";
  label.textContent = suggestion.label;
  item.append(label);
  if (suggestion.detail) {
    const detail = document.createElement("span");
    detail.className = "app-search-suggestions__detail";
    detail.textContent = ` – ${suggestion.detail}`;
    item.append(detail);
  }
  return item;
}

function enhance(input) {
  const form = input.form;
  if (!form || !window.fetch || input.dataset.searchEnhanced) {
    return;
  }
  input.dataset.searchEnhanced = "true";
  const endpoint = new URL("suggest/", form.action);
  boxes += 1;
  const listbox = document.createElement("ul");
  listbox.id = `${input.id || `search-box-${boxes}`}-suggestions`;
  listbox.className = "app-search-suggestions";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "Suggestions");
  listbox.hidden = true;
  const status = document.createElement("div");
  status.className = "govuk-visually-hidden";
  status.setAttribute("role", "status");
  const row = input.closest(".app-search-row") || input;
  row.after(listbox, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listbox.id);
  input.setAttribute("autocomplete", "off");

  let suggestions = [];
  let active = -1;
  let timer = null;
  let pending = null;

  function highlight(index) {
    const items = listbox.children;
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "false");
      items[active].classList.remove(...ACTIVE);
    }
    active = index;
    if (active >= 0 && items[active]) {
      items[active].setAttribute("aria-selected", "true");
      items[active].classList.add(...ACTIVE);
      input.setAttribute("aria-activedescendant", items[active].id);
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    highlight(-1);
    suggestions = [];
    listbox.replaceChildren();
    listbox.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function show(found) {
    close();
    suggestions = found;
    found.forEach((suggestion, index) => {
      listbox.append(option(listbox.id, index, suggestion));
    });
    const open = found.length > 0;
    listbox.hidden = !open;
    input.setAttribute("aria-expanded", String(open));
    status.textContent = open
      ? `${found.length} suggestion${found.length === 1 ? "" : "s"}. ` +
        "Use the up and down arrows to choose one, and Enter to open it."
      : "No suggestions.";
  }

  function go(index) {
    const chosen = suggestions[index];
    if (chosen && chosen.url) {
      window.location.assign(chosen.url);
    }
  }

  async function ask(text) {
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    const url = new URL(endpoint);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
        signal: pending.signal,
      });
      // 503 while the index is rebuilt: no suggestions, the form still works.
      const answer = response.ok ? await response.json() : { results: [] };
      if (input.value.trim() === text) {
        show(Array.isArray(answer.results) ? answer.results : []);
      }
    } catch (error) {
      if (error.name !== "AbortError") {
        close();
      }
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (lastWord(text).length < MIN_PREFIX) {
      close();
      return;
    }
    timer = setTimeout(() => ask(text), DELAY_MS);
  });

  input.addEventListener("keydown", (event) => {
    if (listbox.hidden) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      highlight((active + 1) % suggestions.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      highlight(active <= 0 ? suggestions.length - 1 : active - 1);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      go(active);
    }
  });

  // Choosing with the pointer must not blur the box first and close the list.
  listbox.addEventListener("mousedown", (event) => event.preventDefault());
  listbox.addEventListener("click", (event) => {
    const item = event.target.closest("[role=option]");
    if (item) {
      go(Array.prototype.indexOf.call(listbox.children, item));
    }
  });
  input.addEventListener("blur", close);
}

document.querySelectorAll(BOXES).forEach(enhance);
