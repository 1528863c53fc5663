// Movement-break reminders: an opt-in browser notification every 30, 45 or 60 minutes while a
// lumbo page is open. The choice lives in this browser's localStorage; nothing leaves it.
// Loaded on the app's pages (not the session player: you are moving already). The control
// (#reminders, templates/_reminders.html) is on the plan page for long desk days.
(() => {
  "use strict";
  const KEY = "lumbo-reminders"; // {"minutes": 45} while on; absent while off
  const LAST = "lumbo-reminders-last"; // time (ms) of the last reminder, shared by open tabs
  const CHOICES = [30, 45, 60];
  const CHECK_MS = 15000;
  const TITLE = "lumbo: time to stand up and move";
  const BODY = "Stand up, let your shoulders drop back and lift the crown of your head. " +
    "Walk around or stretch for a minute or two, then sit back down tall.";
  const DENIED = "Notifications are blocked for this site in your browser's settings. " +
    "Allow them there to get reminders, or set a timer to stand up every 30 to 60 minutes.";
  const UNSUPPORTED = "This browser cannot show notifications, so lumbo cannot remind you here. " +
    "A phone timer works as well: stand up every 30 to 60 minutes.";
  const supported = "Notification" in window;

  function read() {
    try {
      const value = JSON.parse(localStorage.getItem(KEY) || "null");
      return value && CHOICES.includes(value.minutes) ? value : null;
    } catch (error) {
      return null;
    }
  }
  function write(value) {
    try {
      if (value) localStorage.setItem(KEY, JSON.stringify(value));
      else localStorage.removeItem(KEY);
      return true;
    } catch (error) {
      return false; // storage switched off: reminders cannot be kept
    }
  }
  function lastShown() {
    try {
      const time = Number(localStorage.getItem(LAST));
      return Number.isFinite(time) ? time : 0;
    } catch (error) {
      return 0;
    }
  }
  function markShown(time) {
    try { localStorage.setItem(LAST, String(time)); } catch (error) { /* ignored */ }
  }

  // Every tab checks often and the shared time stamp decides, so several open tabs give one
  // reminder per interval (the tag also replaces a duplicate that slips through).
  function tick() {
    const on = read();
    if (!on || !supported || Notification.permission !== "granted") return;
    const now = Date.now();
    if (now - lastShown() < on.minutes * 60000) return;
    markShown(now);
    try {
      new Notification(TITLE, { body: BODY, tag: "lumbo-move" });
    } catch (error) {
      // Some mobile browsers only allow notifications from a service worker; lumbo has none.
    }
  }
  setInterval(tick, CHECK_MS);

  const box = document.getElementById("reminders");
  if (!box) return;
  const button = document.getElementById("reminders-toggle");
  const status = document.getElementById("reminders-status");
  const radios = Array.from(box.querySelectorAll("input[name=reminder_minutes]"));
  box.hidden = false;

  function chosen() {
    const radio = radios.find((r) => r.checked);
    return radio ? Number(radio.value) : 45;
  }
  function refresh(message) {
    if (!supported) { // nothing to choose: say why instead of showing a dead control
      box.querySelector("fieldset").hidden = true;
      button.closest(".actions").hidden = true;
      status.textContent = UNSUPPORTED;
      return;
    }
    const on = read();
    if (on) radios.forEach((r) => { r.checked = Number(r.value) === on.minutes; });
    button.textContent = on ? "Turn reminders off" : "Turn reminders on";
    if (message) status.textContent = message;
    else if (Notification.permission === "denied") status.textContent = DENIED;
    else if (on) {
      status.textContent = `Reminders are on: every ${on.minutes} minutes while a lumbo page is open in this browser.`;
    } else status.textContent = "Reminders are off.";
  }

  button.addEventListener("click", async () => {
    if (read()) {
      write(null);
      refresh("Reminders are off.");
      return;
    }
    let permission = Notification.permission;
    if (permission === "default") {
      try {
        permission = await Notification.requestPermission();
      } catch (error) {
        permission = "denied";
      }
    }
    if (permission !== "granted") {
      refresh(permission === "denied" ? DENIED
        : "You did not allow notifications, so reminders stay off. Press the button to be asked again.");
      return;
    }
    if (!write({ minutes: chosen() })) {
      refresh("This browser does not let lumbo keep the setting (site storage is off), so reminders stay off.");
      return;
    }
    markShown(Date.now()); // the first reminder comes one interval from now
    refresh();
  });
  radios.forEach((radio) => radio.addEventListener("change", () => {
    if (read()) {
      write({ minutes: chosen() });
      refresh();
    }
  }));
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) refresh();
  });
  refresh();
})();
