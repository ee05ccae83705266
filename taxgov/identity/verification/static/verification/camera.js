// The device camera for identity verification, as an enhancement: without it the photo
// inputs still take uploads. On the photos step each photo input gains "Use your camera";
// on the selfie step the camera captures frames while the person turns their head, puts
// them in the form's "frames" input and submits it.
(function () {
  "use strict";
  var media = navigator.mediaDevices;
  if (!media || !media.getUserMedia || typeof DataTransfer === "undefined") {
    var missing = document.querySelector("[data-no-camera]");
    if (missing) missing.hidden = false;
    return;
  }
  var lang = document.documentElement.lang || "en";
  var TEXT = {
    en: {
      use: "Use your camera", take: "Take photo", taken: "Photo taken.", start: "Look at the camera.",
      left: "Now slowly turn your head to your left.", right: "Now slowly turn your head to your right.",
      sending: "Checking your selfie…", denied: "We could not open a camera. Allow this site to use the camera, or try a phone."
    },
    es: {
      use: "Usar la cámara", take: "Tomar la foto", taken: "Foto tomada.", start: "Mire a la cámara.",
      left: "Ahora gire la cabeza despacio hacia su izquierda.", right: "Ahora gire la cabeza despacio hacia su derecha.",
      sending: "Revisando su selfi…", denied: "No pudimos abrir una cámara. Permita que este sitio use la cámara o pruebe con un teléfono."
    }
  }[lang.slice(0, 2)] || null;
  if (!TEXT) return;

  function grab(video, name) {
    var canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    return new Promise(function (resolve) {
      canvas.toBlob(function (blob) { resolve(new File([blob], name, { type: "image/jpeg" })); }, "image/jpeg", 0.9);
    });
  }

  function open(video, facing) {
    return media.getUserMedia({ video: { facingMode: facing, width: { ideal: 1920 } }, audio: false }).then(function (stream) {
      video.srcObject = stream;
      return video.play().then(function () { return stream; });
    });
  }

  function stop(stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }

  var capture = document.querySelector("[data-camera-capture]");
  if (capture) {
    var video = capture.querySelector("video");
    var status = capture.querySelector("[data-camera-status]");
    document.querySelectorAll(".taxgov-flow-form input[type=file]").forEach(function (input) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "usa-button usa-button--outline margin-top-1";
      button.textContent = TEXT.use;
      input.insertAdjacentElement("afterend", button);
      button.addEventListener("click", function () {
        capture.hidden = false;
        button.insertAdjacentElement("afterend", capture);
        open(video, "environment").then(function (stream) {
          button.textContent = TEXT.take;
          button.onclick = function (event) {
            event.stopImmediatePropagation();
            grab(video, input.name + ".jpg").then(function (file) {
              var files = new DataTransfer();
              files.items.add(file);
              input.files = files.files;
              stop(stream);
              capture.hidden = true;
              status.textContent = "";
              button.textContent = TEXT.use;
              button.onclick = null;
              button.insertAdjacentText("afterend", " " + TEXT.taken);
            });
          };
        }).catch(function () { status.textContent = TEXT.denied; });
      });
    });
  }

  var selfie = document.querySelector("[data-selfie]");
  if (selfie) {
    var form = document.querySelector(".taxgov-flow-form");
    var input = form.querySelector("input[name=frames]");
    var turn = document.getElementById("selfie-challenge").dataset.turn;
    var say = selfie.querySelector("[data-selfie-status]");
    var startButton = selfie.querySelector("[data-selfie-start]");
    var camera = selfie.querySelector("video");
    selfie.hidden = false;
    if (input) input.closest(".usa-form-group").hidden = true;
    startButton.addEventListener("click", function () {
      startButton.disabled = true;
      open(camera, "user").then(function (stream) {
        var frames = [];
        var wait = function (ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); };
        say.textContent = TEXT.start;
        var take = function () { return grab(camera, "frame-" + frames.length + ".jpg").then(function (f) { frames.push(f); }); };
        wait(1500).then(take).then(function () {
          say.textContent = TEXT[turn];
          var chain = Promise.resolve();
          for (var i = 0; i < 5; i += 1) chain = chain.then(function () { return wait(500); }).then(take);
          return chain;
        }).then(function () {
          stop(stream);
          var files = new DataTransfer();
          frames.forEach(function (file) { files.items.add(file); });
          input.files = files.files;
          say.textContent = TEXT.sending;
          form.submit();
        });
      }).catch(function () { say.textContent = TEXT.denied; startButton.disabled = false; });
    });
  }
})();
