// Yardstick respondent pages: optional niceties. Every page works and submits without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  // Move focus to the list of problems so screen readers and keyboards start there.
  var problems = document.getElementById("problems");
  if (problems) { problems.focus(); }
  // Once a choice is made, stop a double submit from a second tap on the button.
  document.querySelectorAll("form").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
    });
  });
})();
