// Video calls with an agent, as an enhancement of server-rendered pages.
// On the waiting page: ask the server every few seconds where the person is in line and
// say it (an aria-live region), and go to the next page when an agent is ready.
// In the room: a WebRTC call between the person's browser and the agent's, its messages
// (offer, answer, ICE candidates) passed through our server's signal endpoint. The person
// offers; the agent answers; an agent who (re)opens the room says "ready" and the person
// offers again. Each offer has a number, and what belongs to an older one is ignored.
(function () {
  "use strict";

  // The CSRF cookie is HttpOnly: the token comes from the page's forms (the sign-out form at least).
  function csrfToken() {
    var field = document.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  var lobby = document.querySelector("[data-call-lobby]");
  if (lobby) {
    var message = lobby.querySelector("[data-call-message]");
    var watch = function () {
      fetch(lobby.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
        .then(function (data) {
          if (data.next) { window.location.assign(data.next); return; }
          if (data.message && message.textContent !== data.message) message.textContent = data.message;
          window.setTimeout(watch, 5000);
        })
        .catch(function () { window.setTimeout(watch, 15000); });
    };
    window.setTimeout(watch, 5000);
  }

  var room = document.querySelector("[data-call-room]");
  if (!room || !window.RTCPeerConnection || !navigator.mediaDevices) return;
  var side = room.dataset.side;
  var url = room.dataset.signalUrl;
  var status = room.querySelector("[data-call-status]");
  var local = room.querySelector("video[data-local]");
  var remote = room.querySelector("video[data-remote]");
  var stream = null, connection = null, generation = 0, after = 0, early = [];
  var queue = Promise.resolve();

  function say(key) {
    var text = room.dataset["text" + key];
    if (text && status.textContent !== text) status.textContent = text;
  }

  function send(kind, body) {
    var data = new FormData();
    data.append("kind", kind);
    data.append("body", body ? JSON.stringify(body) : "");
    return fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-CSRFToken": csrfToken() } });
  }

  function connect(number) {
    if (connection) connection.close();
    generation = number;
    early = [];
    room.dataset.connected = "false";
    var peer = new RTCPeerConnection({ iceServers: [] });
    stream.getTracks().forEach(function (track) { peer.addTrack(track, stream); });
    peer.onicecandidate = function (event) {
      if (event.candidate && peer === connection) send("candidate", { gen: number, candidate: event.candidate.toJSON() });
    };
    peer.ontrack = function (event) { remote.srcObject = event.streams[0]; };
    peer.onconnectionstatechange = function () {
      if (peer !== connection) return;
      if (peer.connectionState === "connected") { room.dataset.connected = "true"; say("Connected"); }
      else if (peer.connectionState === "failed" || peer.connectionState === "disconnected") { room.dataset.connected = "false"; say("Lost"); }
    };
    connection = peer;
    return peer;
  }

  function flushEarly(peer) {
    var waiting = early;
    early = [];
    return Promise.all(waiting.map(function (candidate) { return peer.addIceCandidate(candidate); }));
  }

  function offer() {
    var peer = connect(generation + 1), number = generation;
    return peer.createOffer()
      .then(function (description) { return peer.setLocalDescription(description); })
      .then(function () { return send("offer", { gen: number, description: peer.localDescription.toJSON() }); });
  }

  function handle(message) {
    var body = message.body ? JSON.parse(message.body) : {};
    if (message.kind === "ready" && side === "person") return offer();
    if (message.kind === "offer" && side === "agent") {
      var peer = connect(body.gen);
      return peer.setRemoteDescription(body.description)
        .then(function () { return flushEarly(peer); })
        .then(function () { return peer.createAnswer(); })
        .then(function (description) { return peer.setLocalDescription(description); })
        .then(function () { return send("answer", { gen: body.gen, description: peer.localDescription.toJSON() }); });
    }
    if (message.kind === "answer" && side === "person" && body.gen === generation && connection) {
      var mine = connection;
      return mine.setRemoteDescription(body.description).then(function () { return flushEarly(mine); });
    }
    if (message.kind === "candidate" && body.gen === generation && connection) {
      if (connection.remoteDescription) return connection.addIceCandidate(body.candidate);
      early.push(body.candidate);
    }
    return Promise.resolve();
  }

  function poll() {
    fetch(url + "?after=" + after, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : Promise.reject(response); })
      .then(function (data) {
        if (data.next) { window.location.assign(data.next); return; }
        var messages = data.messages;
        var lastOffer = -1;
        messages.forEach(function (message, index) { if (message.kind === "offer") lastOffer = index; });
        messages.forEach(function (message, index) {
          after = Math.max(after, message.id);
          if (message.kind === "offer" && index !== lastOffer) return;  // only the newest offer counts
          queue = queue.then(function () { return handle(message); }).catch(function () { say("Lost"); });
        });
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  navigator.mediaDevices.getUserMedia({ video: true, audio: true })
    .then(function (media) {
      stream = media;
      local.srcObject = media;
      say("Waiting");
      queue = side === "person" ? offer() : send("ready");
      poll();
    })
    .catch(function () { say("Denied"); });
})();
