/**
 * The prompt's only script of its own (served as /prompt/assets/prompt.js): a form marked
 * `data-webauthn` asks its action's `/options` for the ceremony, lets the browser's WebAuthn API
 * run it (through @simplewebauthn/browser, loaded before it), and posts the answer in the form's
 * `response` field. Without script, or without WebAuthn, the button says so and nothing else
 * changes: the passcode form works the same.
 */
export const PROMPT_SCRIPT = `"use strict";
(function () {
  var webauthn = window.SimpleWebAuthnBrowser;
  var forms = document.querySelectorAll("form[data-webauthn]");
  for (var i = 0; i < forms.length; i++) prepare(forms[i]);

  function prepare(form) {
    var button = form.querySelector("button");
    var status = document.createElement("p");
    status.className = "error";
    status.setAttribute("role", "alert");
    status.hidden = true;
    form.insertBefore(status, form.firstChild);
    function say(text) {
      status.textContent = text;
      status.hidden = false;
    }
    if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
      button.disabled = true;
      say("This browser cannot use security keys here. Log in another way.");
      return;
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      button.disabled = true;
      status.hidden = true;
      fetch(form.action + "/options", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "",
      })
        .then(function (answer) {
          if (!answer.ok) throw new Error("options");
          return answer.json();
        })
        .then(function (optionsJSON) {
          return form.dataset.webauthn === "register"
            ? webauthn.startRegistration({ optionsJSON: optionsJSON })
            : webauthn.startAuthentication({ optionsJSON: optionsJSON });
        })
        .then(function (response) {
          form.elements.namedItem("response").value = JSON.stringify(response);
          form.submit();
        })
        .catch(function () {
          button.disabled = false;
          say("Your security key did not answer. Try again, or log in another way.");
        });
    });
  }
})();
`;
