// The search form's speaker and claim boxes (claims.filters.NameInput): type part of a name in
// any spelling, pick it from the list, and the hidden input beside the box takes the record's
// id, which is what the URL keeps. A name that is on no list cannot be submitted.
// A box marked data-free-text (the review queue's claim box) also filters by the words typed:
// they are sent as they are, and a name picked from the list chooses its record.
// Every label ends in its record's id ("Name · role · #12", claims.names), so two speakers
// of one name are two labels, and the label picked names exactly one record.
"use strict";

(function () {
  const WAIT_MS = 200;
  const NOT_CHOSEN = "Choose a name from the list, or clear the box.";

  function attach(box) {
    const idInput = document.getElementById(box.dataset.idInput);
    const options = document.getElementById(box.getAttribute("list"));
    const offered = new Map(); // exact label -> id, for every label offered so far
    let timer = null;
    let latest = 0;

    function choose() {
      const text = box.value.trim();
      let id = "";
      if (offered.has(text)) {
        id = offered.get(text);
      } else if (text && text === box.defaultValue) {
        id = idInput.defaultValue; // the record the page was opened with
      }
      idInput.value = id;
      if (!("freeText" in box.dataset)) box.setCustomValidity(text && !id ? NOT_CHOSEN : "");
    }

    async function offer(text, request) {
      const response = await fetch(`${box.dataset.names}?q=${encodeURIComponent(text)}`, {
        headers: { Accept: "application/json" },
      });
      if (!response.ok || request !== latest) return;
      const { results } = await response.json();
      if (request !== latest) return;
      options.replaceChildren(
        ...results.map(({ id, label }) => {
          offered.set(label, String(id));
          const option = document.createElement("option");
          option.value = label;
          return option;
        }),
      );
      choose();
    }

    box.addEventListener("input", () => {
      choose();
      clearTimeout(timer);
      const text = box.value.trim();
      if (!text || offered.has(text)) return;
      timer = setTimeout(() => offer(text, ++latest).catch(() => {}), WAIT_MS);
    });
  }

  function attachAll() {
    document.querySelectorAll("input[data-names]").forEach(attach);
  }
  // The admin loads its scripts in the page's head, before the boxes exist.
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", attachAll);
  } else {
    attachAll();
  }
})();
