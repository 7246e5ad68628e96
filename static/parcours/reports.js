// Parcours — report editor: autosave with optimistic locking, local copy, visible conflicts.
//
// - Every change is copied at once to localStorage (key parcours.rapport.<id>), then sent to the
//   server a few seconds after typing stops, on blur and when the page is hidden or closed.
// - The server refuses a save based on an old version (409) and sends its copy: both versions are
//   shown and the user chooses.
// - A redirect to the login page (session expired) or a network failure keeps the local copy;
//   it is sent again later, and restored when the report is opened again.
(function () {
  "use strict";
  var form = document.getElementById("editeur-rapport");
  if (!form) { return; }
  var DELAY_MS = 2000;
  var RETRY_MS = 10000;
  var url = form.getAttribute("data-autosave-url");
  var storageKey = "parcours.rapport." + form.getAttribute("data-report-id");
  var version = parseInt(form.getAttribute("data-version"), 10);
  var versionInput = document.getElementById("id_version");
  var state = document.getElementById("etat-sauvegarde");
  var panel = document.getElementById("conflit-rapport");
  var panelSections = document.getElementById("conflit-rubriques");
  var panelText = document.getElementById("conflit-explication");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var areas = Array.prototype.slice.call(form.querySelectorAll("textarea.report-textarea"));
  var timer = null;
  var retry = null;
  var inFlight = false;
  var dirty = false;
  var blocked = false; // a conflict waits for the user's choice
  var serverCopy = null;

  function keyOf(area) { return area.name.replace(/^section-/, ""); }
  function labelOf(key) {
    var area = form.querySelector("textarea[name='section-" + key + "']");
    var label = area ? form.querySelector("label[for='" + area.id + "']") : null;
    return label ? label.childNodes[0].textContent.trim() : key;
  }
  function content() {
    var data = {};
    areas.forEach(function (area) { data[keyOf(area)] = area.value; });
    return data;
  }
  function fill(data) {
    areas.forEach(function (area) {
      var key = keyOf(area);
      if (Object.prototype.hasOwnProperty.call(data, key)) { area.value = data[key]; }
    });
  }
  function say(text, kind) {
    state.textContent = text;
    state.className = "autosave-state" + (kind ? " autosave-state--" + kind : "");
  }
  function setVersion(v) {
    version = v;
    versionInput.value = String(v);
    form.setAttribute("data-version", String(v));
  }
  function readLocal() {
    try { return JSON.parse(window.localStorage.getItem(storageKey) || "null"); } catch (e) { return null; }
  }
  function writeLocal() {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ base: version, content: content(), at: Date.now() }));
    } catch (e) { /* storage full or disabled: the server save still runs */ }
  }
  function clearLocal() {
    try { window.localStorage.removeItem(storageKey); } catch (e) { /* ignore */ }
  }
  function same(a, b) {
    return Object.keys(a).every(function (k) { return (a[k] || "") === (b[k] || ""); });
  }

  function showConflict(server, mine, why) {
    blocked = true;
    serverCopy = server;
    panelText.textContent = why + (server.updated_by ? " Dernier enregistrement : " + server.updated_by + (server.updated_at ? ", le " + server.updated_at : "") + "." : "");
    panelSections.textContent = "";
    Object.keys(mine).forEach(function (key) {
      var theirs = server.content[key] || "";
      if ((mine[key] || "") === theirs) { return; }
      var block = document.createElement("div");
      block.className = "conflict-section";
      var title = document.createElement("h3");
      title.className = "fr-h6 fr-mt-2w";
      title.textContent = labelOf(key);
      block.appendChild(title);
      [["Votre version", mine[key] || ""], ["Version enregistrée", theirs]].forEach(function (pair) {
        var col = document.createElement("div");
        col.className = "conflict-version";
        var h = document.createElement("p");
        h.className = "fr-text--bold fr-mb-1v";
        h.textContent = pair[0];
        var text = document.createElement("p");
        text.className = "report-text conflict-text";
        text.textContent = pair[1] || "(vide)";
        col.appendChild(h);
        col.appendChild(text);
        block.appendChild(col);
      });
      panelSections.appendChild(block);
    });
    panel.hidden = false;
    say("Non enregistré : conflit de versions, choisissez la version à garder.", "error");
    panel.scrollIntoView({ block: "start" });
    document.getElementById("garder-ma-version").focus();
  }

  function save(options) {
    options = options || {};
    if (timer) { clearTimeout(timer); timer = null; }
    if (!dirty || blocked || inFlight) { return; }
    inFlight = true;
    var sent = content();
    say("Enregistrement…");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      keepalive: !!options.keepalive,
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ version: version, content: sent })
    }).then(function (response) {
      if (response.type === "opaqueredirect" || response.status === 302 || response.status === 0) {
        say("Session expirée : votre texte est conservé localement. Reconnectez-vous (dans un autre onglet), il sera enregistré à votre retour.", "warning");
        armRetry();
        return null;
      }
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (response.status === 200) {
          setVersion(data.version);
          if (same(sent, content())) {
            dirty = false;
            clearLocal();
            say("Enregistré à " + (data.saved_at_display || "l'instant") + ".", "ok");
          } else {
            writeLocal();
            schedule();
          }
        } else if (response.status === 409) {
          showConflict(data.server, sent, data.error || "Ce rapport a été modifié ailleurs.");
        } else if (response.status === 403 && !data.error) {
          // Signed in again in another tab: this page's security token is stale.
          say("Votre session a été renouvelée : rechargez la page, votre texte est conservé localement et sera enregistré.", "warning");
        } else {
          say("Non enregistré : " + (data.error || "erreur " + response.status) + " Votre texte est conservé localement.", "error");
          if (response.status >= 500) { armRetry(); }
        }
        return null;
      });
    }).catch(function () {
      say("Hors connexion : votre texte est conservé localement, nouvel essai automatique.", "warning");
      armRetry();
    }).finally(function () { inFlight = false; });
  }
  function armRetry() {
    if (retry) { clearTimeout(retry); }
    retry = setTimeout(function () { retry = null; save(); }, RETRY_MS);
  }
  function schedule() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, DELAY_MS);
  }

  areas.forEach(function (area) {
    area.addEventListener("input", function () {
      dirty = true;
      writeLocal();
      if (!blocked) { say("Modifications non enregistrées…"); }
      schedule();
    });
    area.addEventListener("blur", function () { save(); });
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { save({ keepalive: true }); } else { save(); }
  });
  window.addEventListener("pagehide", function () { save({ keepalive: true }); });
  window.addEventListener("online", function () { save(); });
  form.addEventListener("submit", function () {
    // The plain form post saves too; the local copy is cleared only by a confirmed save.
    if (timer) { clearTimeout(timer); }
  });

  document.getElementById("garder-ma-version").addEventListener("click", function () {
    if (!serverCopy) { return; }
    setVersion(serverCopy.version);
    blocked = false;
    panel.hidden = true;
    dirty = true;
    writeLocal();
    save();
  });
  document.getElementById("prendre-version-serveur").addEventListener("click", function () {
    if (!serverCopy) { return; }
    fill(serverCopy.content);
    setVersion(serverCopy.version);
    blocked = false;
    dirty = false;
    clearLocal();
    panel.hidden = true;
    say("Version enregistrée reprise.", "ok");
  });

  // Back on the page: a local copy not yet saved is restored (or shown against a newer server copy).
  var local = readLocal();
  if (local && local.content) {
    var server = content();
    if (same(local.content, server)) {
      clearLocal();
    } else if (local.base === version) {
      fill(local.content);
      dirty = true;
      say("Votre texte non enregistré a été restauré depuis ce navigateur ; enregistrement…", "warning");
      schedule();
    } else {
      dirty = true;
      showConflict(
        { version: version, content: server, updated_by: "", updated_at: "" },
        local.content,
        "Une copie locale non enregistrée existe, mais le rapport a été enregistré depuis (version plus récente sur le serveur)."
      );
      fill(local.content);
    }
  }
})();
