// Sales-page visit beacon and tracking pixels (Meta, Google Analytics 4 / Tag Manager, TikTok).
// The configuration is the JSON in #tracking-config (see marketing/_tracking.html); nothing loads from a provider
// before the visitor agrees when the settings ask for consent. `window.sanggarTracking.fired` lists the events sent.
(function () {
  "use strict";
  var state = (window.sanggarTracking = window.sanggarTracking || { fired: [], loaded: [] });

  var beacon = document.querySelector("[data-visit-url]");
  if (beacon) {
    var url = beacon.getAttribute("data-visit-url");
    try {
      if (navigator.sendBeacon) navigator.sendBeacon(url);
      else fetch(url, { method: "POST", keepalive: true, credentials: "same-origin" });
    } catch (e) {}
  }

  var element = document.getElementById("tracking-config");
  if (!element) return;
  var config = JSON.parse(element.textContent);
  var KEY = "sanggar-pixel-consent";
  var GOOGLE_EVENTS = { ViewContent: "view_item", InitiateCheckout: "begin_checkout", Purchase: "purchase" };
  var TIKTOK_EVENTS = { ViewContent: "ViewContent", InitiateCheckout: "InitiateCheckout", Purchase: "CompletePayment" };

  function load(src) {
    var script = document.createElement("script");
    script.async = true;
    script.src = src;
    document.head.appendChild(script);
    state.loaded.push(src);
  }

  function startMeta() {
    if (!config.meta.length) return;
    var fbq = (window.fbq = function () {
      fbq.callMethod ? fbq.callMethod.apply(fbq, arguments) : fbq.queue.push(arguments);
    });
    if (!window._fbq) window._fbq = fbq;
    fbq.push = fbq;
    fbq.loaded = true;
    fbq.version = "2.0";
    fbq.queue = [];
    load("https://connect.facebook.net/en_US/fbevents.js");
    config.meta.forEach(function (id) { fbq("init", id); });
    fbq("track", "PageView");
  }

  function startGoogle() {
    if (!config.google.length) return;
    window.dataLayer = window.dataLayer || [];
    window.gtag = function () { window.dataLayer.push(arguments); };
    var ga = config.google.filter(function (id) { return id.indexOf("G-") === 0; });
    var gtm = config.google.filter(function (id) { return id.indexOf("GTM-") === 0; });
    if (ga.length) {
      load("https://www.googletagmanager.com/gtag/js?id=" + encodeURIComponent(ga[0]));
      window.gtag("js", new Date());
      ga.forEach(function (id) { window.gtag("config", id); });
    }
    gtm.forEach(function (id) {
      window.dataLayer.push({ "gtm.start": Date.now(), event: "gtm.js" });
      load("https://www.googletagmanager.com/gtm.js?id=" + encodeURIComponent(id));
    });
  }

  function startTiktok() {
    if (!config.tiktok.length) return;
    var ttq = (window.ttq = window.ttq || []);
    ttq.methods = ["page", "track", "identify", "instances", "debug", "on", "off", "once", "ready", "alias", "group",
      "enableCookie", "disableCookie"];
    ttq.setAndDefer = function (target, method) {
      target[method] = function () { target.push([method].concat(Array.prototype.slice.call(arguments, 0))); };
    };
    ttq.methods.forEach(function (method) { ttq.setAndDefer(ttq, method); });
    config.tiktok.forEach(function (id) {
      load("https://analytics.tiktok.com/i18n/pixel/events.js?sdkid=" + encodeURIComponent(id) + "&lib=ttq");
    });
    ttq.page();
  }

  function fire(event) {
    var data = { value: event.value, currency: event.currency || "IDR" };
    if (event.content_ids) data.content_ids = event.content_ids;
    if (event.content_name) data.content_name = event.content_name;
    if (window.fbq && config.meta.length) {
      window.fbq("track", event.name, data, event.transaction_id ? { eventID: event.transaction_id } : undefined);
    }
    if (window.gtag && config.google.length) {
      var google = { value: event.value, currency: data.currency };
      if (event.transaction_id) google.transaction_id = event.transaction_id;
      window.gtag("event", GOOGLE_EVENTS[event.name] || event.name, google);
    }
    if (window.ttq && config.tiktok.length) window.ttq.track(TIKTOK_EVENTS[event.name] || event.name, data);
    state.fired.push(event.name);
  }

  function start() {
    if (state.started) return;
    state.started = true;
    startMeta();
    startGoogle();
    startTiktok();
    config.events.forEach(fire);
  }

  var stored = null;
  try { stored = window.localStorage.getItem(KEY); } catch (e) {}
  if (!config.consent || stored === "yes") {
    start();
    return;
  }
  if (stored === "no") return;
  var banner = document.getElementById("pixel-consent");
  if (!banner) return;
  banner.hidden = false;
  banner.addEventListener("click", function (clicked) {
    var answer = clicked.target.getAttribute("data-consent");
    if (!answer) return;
    try { window.localStorage.setItem(KEY, answer); } catch (e) {}
    banner.hidden = true;
    if (answer === "yes") start();
  });
})();
