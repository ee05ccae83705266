// Security keys and face or touch unlock. The page's form carries the CSRF token and the
// URLs; the server makes the options, and checks what the authenticator signed.
(function () {
  "use strict";

  var form = document.querySelector("[data-webauthn]");
  if (!form) {
    return;
  }
  var status = form.querySelector("[data-webauthn-status]");
  if (!window.PublicKeyCredential) {
    status.textContent = form.getAttribute("data-unsupported");
    return;
  }

  function fromB64(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    var binary = atob(base64 + "===".slice((base64.length + 3) % 4));
    return Uint8Array.from(binary, function (c) { return c.charCodeAt(0); }).buffer;
  }

  function toB64(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    bytes.forEach(function (b) { binary += String.fromCharCode(b); });
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || "failed"); }
        return data;
      });
    });
  }

  function creationOptions(options) {
    options.challenge = fromB64(options.challenge);
    options.user.id = fromB64(options.user.id);
    (options.excludeCredentials || []).forEach(function (c) { c.id = fromB64(c.id); });
    return options;
  }

  function requestOptions(options) {
    options.challenge = fromB64(options.challenge);
    (options.allowCredentials || []).forEach(function (c) { c.id = fromB64(c.id); });
    return options;
  }

  function serialize(credential) {
    var response = credential.response;
    var out = { id: credential.id, rawId: toB64(credential.rawId), type: credential.type, response: {},
      clientExtensionResults: credential.getClientExtensionResults() };
    out.response.clientDataJSON = toB64(response.clientDataJSON);
    if (response.attestationObject) {
      out.response.attestationObject = toB64(response.attestationObject);
      out.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      out.response.authenticatorData = toB64(response.authenticatorData);
      out.response.signature = toB64(response.signature);
      out.response.userHandle = response.userHandle ? toB64(response.userHandle) : null;
    }
    return out;
  }

  form.querySelectorAll("[data-webauthn-start]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var platform = button.getAttribute("data-platform") === "true";
      var nameInput = form.querySelector("[name=name]");
      var remember = form.querySelector("[name=remember]");
      status.textContent = form.getAttribute("data-waiting");
      post(form.getAttribute("data-options-url"), { platform: platform })
        .then(function (options) {
          return options.user
            ? navigator.credentials.create({ publicKey: creationOptions(options) })
            : navigator.credentials.get({ publicKey: requestOptions(options) });
        })
        .then(function (credential) {
          return post(form.getAttribute("data-verify-url"), {
            credential: serialize(credential),
            platform: platform,
            name: nameInput ? nameInput.value : "",
            remember: remember ? remember.checked : false,
          });
        })
        .then(function (data) { window.location.assign(data.redirect); })
        .catch(function () { status.textContent = form.getAttribute("data-failed"); });
    });
  });
})();
