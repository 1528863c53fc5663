// The intake as short steps: one <fieldset class="step"> on screen at a time, with Back and
// Next. It stays ONE form posted once to /intake, so Back never loses an answer and the
// server checks everything again. Without JavaScript every step shows, one after another.
// Next checks only that the step's required answers are given (the words come from the
// form's data-missing, the same the server uses); ranges and the rest are the server's job.

const form = document.querySelector("form[data-steps]");
if (form) setUp(form);

function setUp(form) {
  const steps = Array.from(form.querySelectorAll("fieldset.step"));
  const actions = form.querySelector(".step-actions");
  const submit = actions && actions.querySelector("button[type=submit]");
  if (steps.length < 2 || !submit) return;
  let missingWords = {};
  try {
    missingWords = JSON.parse(form.dataset.missing || "{}");
  } catch (error) {
    missingWords = {};
  }

  const back = makeButton("Back", "step-back", "secondary");
  const next = makeButton("Next", "step-next", "");
  actions.prepend(back);
  actions.insertBefore(next, submit);
  form.classList.add("stepped");
  let current = 0;

  function show(index, moveFocus) {
    current = Math.max(0, Math.min(index, steps.length - 1));
    steps.forEach((step, i) => { step.hidden = i !== current; });
    back.hidden = current === 0;
    next.hidden = current === steps.length - 1;
    submit.hidden = current !== steps.length - 1;
    if (moveFocus) {
      const heading = steps[current].querySelector("h2");
      steps[current].scrollIntoView({ block: "start" });
      if (heading) heading.focus({ preventScroll: true });
    }
  }

  // The required questions of a step that have no answer yet: [{name, element, text}].
  function unanswered(step) {
    const found = [];
    const seen = new Set();
    step.querySelectorAll("input[required], select[required], textarea[required]").forEach((input) => {
      const name = input.name;
      if (seen.has(name)) return;
      seen.add(name);
      const answered = input.type === "radio" || input.type === "checkbox"
        ? step.querySelector(`input[name="${name}"]:checked`) !== null
        : input.value.trim() !== "";
      if (answered) return;
      const holder = input.type === "radio" ? input.closest("fieldset") : input.closest(".field");
      found.push({ name, holder, first: input, text: missingWords[name] || `Please answer: ${questionOf(holder)}` });
    });
    return found;
  }

  function questionOf(holder) {
    const title = holder && holder.querySelector("legend, label");
    return title ? title.textContent.trim() : "this question";
  }

  function clearProblems(step) {
    step.querySelectorAll(".step-problems").forEach((box) => box.remove());
    step.querySelectorAll("[data-client-error]").forEach((holder) => unmark(holder));
  }

  function unmark(holder) {
    holder.removeAttribute("data-client-error");
    holder.classList.remove("has-error");
    const message = holder.querySelector(":scope > .error-message.from-browser");
    if (message) {
      holder.querySelectorAll("[aria-describedby]").forEach((element) => describe(element, message.id, false));
      describe(holder, message.id, false);
      message.remove();
    }
    holder.querySelectorAll("[data-client-error-input]").forEach((input) => {
      input.removeAttribute("aria-invalid");
      input.removeAttribute("data-client-error-input");
    });
  }

  function describe(element, id, add) {
    const ids = (element.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== id);
    if (add) ids.push(id);
    if (ids.length) element.setAttribute("aria-describedby", ids.join(" "));
    else element.removeAttribute("aria-describedby");
  }

  function mark(problem) {
    const holder = problem.holder;
    if (!holder || holder.hasAttribute("data-client-error")) return;
    holder.setAttribute("data-client-error", problem.name);
    holder.classList.add("has-error");
    if (!holder.querySelector(":scope > .error-message")) {
      const message = document.createElement("p");
      message.className = "error-message from-browser";
      message.id = `${problem.name}-missing`;
      message.textContent = problem.text;
      const title = holder.querySelector(":scope > legend, :scope > label");
      const hint = holder.querySelector(":scope > .hint");
      (hint || title || holder.firstChild).after(message);
      describe(problem.first.type === "radio" ? holder : problem.first, message.id, true);
    }
    if (problem.first.type !== "radio" && !problem.first.hasAttribute("aria-invalid")) {
      problem.first.setAttribute("aria-invalid", "true");
      problem.first.setAttribute("data-client-error-input", "");
    }
  }

  // Names what is missing at the top of the step, each a link to its question.
  function report(step, problems) {
    clearProblems(step);
    const box = document.createElement("div");
    box.className = "error-summary step-problems";
    box.tabIndex = -1;
    const title = document.createElement("h3");
    title.textContent = problems.length === 1
      ? "Please answer this question before going on"
      : `Please answer these ${problems.length} questions before going on`;
    const list = document.createElement("ul");
    problems.forEach((problem) => {
      mark(problem);
      const link = document.createElement("a");
      link.href = `#${problem.holder && problem.holder.id ? problem.holder.id : problem.name}`;
      link.textContent = problem.text;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        problem.first.focus();
      });
      const item = document.createElement("li");
      item.append(link);
      list.append(item);
    });
    box.append(title, list);
    step.querySelector(":scope > legend").after(box);
    box.focus();
  }

  function check(index) {
    const problems = unanswered(steps[index]);
    if (problems.length === 0) {
      clearProblems(steps[index]);
      return true;
    }
    if (index !== current) show(index, false);
    report(steps[index], problems);
    return false;
  }

  back.addEventListener("click", () => show(current - 1, true));
  next.addEventListener("click", () => {
    if (check(current)) show(current + 1, true);
  });

  // Enter in a field of an earlier step means "Next", not "send the whole form"; the final
  // submit checks every step once more and opens the first with something missing.
  form.addEventListener("submit", (event) => {
    if (current !== steps.length - 1 || event.submitter !== submit) {
      event.preventDefault();
      next.click();
      return;
    }
    for (let i = 0; i < steps.length; i += 1) {
      if (!check(i)) {
        event.preventDefault();
        return;
      }
    }
  });

  // An answer given clears its own "missing" mark at once (and the step's list, once empty).
  function recheck() {
    const step = steps[current];
    if (!step.querySelector(".step-problems")) return;
    const still = new Set(unanswered(step).map((problem) => problem.name));
    step.querySelectorAll("[data-client-error]").forEach((holder) => {
      if (!still.has(holder.getAttribute("data-client-error"))) unmark(holder);
    });
    if (still.size === 0) clearProblems(step);
  }
  form.addEventListener("change", recheck);
  form.addEventListener("input", recheck);

  // A link to a question (the error summary after a 422, or a #fragment) opens its step first.
  function stepOf(id) {
    const target = id && document.getElementById(id);
    return target ? steps.findIndex((step) => step.contains(target)) : -1;
  }
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) return;
    const index = stepOf(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (index >= 0 && index !== current) show(index, false);
  });

  // After a 422 the page opens on the first step with a problem the server named.
  const firstError = steps.findIndex((step) => step.querySelector(".has-error, .error-message, [aria-invalid=true]"));
  const fromHash = stepOf(decodeURIComponent(location.hash.slice(1)));
  show(firstError >= 0 ? firstError : Math.max(fromHash, 0), false);
}

function makeButton(text, id, className) {
  const button = document.createElement("button");
  button.type = "button";
  button.id = id;
  button.textContent = text;
  if (className) button.className = className;
  return button;
}
