/*
 * Live updates for pages of a datocms_app site ({% datocms_live_updates %}).
 *
 * The tag renders <script data-datocms-live-updates data-endpoint data-description
 * data-channels data-digest data-mode data-refresh-delay>. For each of the page's queries
 * (data-channels of them) this script POSTs {"description", "channel"} to the site's own
 * live-updates endpoint, which registers a channel with DatoCMS's Real-time Updates API
 * server-side and answers {"url"}; the script opens it with EventSource. No token ever
 * reaches the browser.
 *
 * - The first "update" of a connection is the query's current result, not a change (after a
 *   reconnection it refreshes the page only if the result differs from the last one seen);
 *   a later "update" with a new result refreshes the page, after data-refresh-delay ms:
 *   data-mode="reload" reloads it; "swap" fetches a fresh copy and replaces the elements
 *   marked data-datocms-live (matched in order and by the attribute's value), reloading
 *   instead when they do not match.
 * - "channelError" closes the channel; with fatal: true it stays closed, otherwise it is
 *   reopened. A channel that closes or fails is reopened through the endpoint after 1 s,
 *   then twice as long each time (plus or minus 10%, at most 20 s), as DatoCMS's
 *   datocms-listen does; the wait starts again at 1 s once a channel delivers its update.
 * - Endpoint answers: 503 or no answer, try again later; 410 (the description expired),
 *   reload the page once for a fresh one; anything else stops that channel.
 * - One set of channels per distinct query set (data-digest), however often the tag appears.
 *
 * No dependencies, no third-party code: the browser's fetch, EventSource and DOMParser.
 */
(function () {
  "use strict";

  var FIRST_RETRY_MS = 1000;
  var MAX_RETRY_MS = 20000;
  var EXPIRED_KEY = "datocms-live-updates-expired";
  var subscriptions = window.__datocmsLiveUpdates || (window.__datocmsLiveUpdates = {});

  function warn(message) {
    if (window.console) {
      window.console.warn("[datocms live updates] " + message);
    }
  }

  function readConfig(element) {
    var channels = parseInt(element.getAttribute("data-channels"), 10);
    var delay = parseInt(element.getAttribute("data-refresh-delay") || "0", 10);
    return {
      endpoint: element.getAttribute("data-endpoint"),
      description: element.getAttribute("data-description"),
      channels: channels > 0 ? channels : 0,
      digest: element.getAttribute("data-digest") || "",
      mode: element.getAttribute("data-mode") === "swap" ? "swap" : "reload",
      delay: delay > 0 ? delay : 0,
    };
  }

  function Subscription(config) {
    this.config = config;
    this.channels = [];
    this.closed = false;
    this.refreshing = false;
    this.again = false;
  }

  Subscription.prototype.start = function () {
    for (var index = 0; index < this.config.channels; index += 1) {
      this.channels.push({ source: null, timer: null, retry: FIRST_RETRY_MS, last: null });
      this.connect(index);
    }
  };

  Subscription.prototype.close = function () {
    this.closed = true;
    this.channels.forEach(function (channel) {
      clearTimeout(channel.timer);
      if (channel.source) {
        channel.source.close();
      }
    });
  };

  Subscription.prototype.connect = function (index) {
    var self = this;
    if (self.closed) {
      return;
    }
    fetch(self.config.endpoint, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ description: self.config.description, channel: index }),
    })
      .then(function (response) {
        return response.json().then(
          function (body) { return { status: response.status, body: body || {} }; },
          function () { return { status: response.status, body: {} }; }
        );
      })
      .then(
        function (answer) {
          if (self.closed) {
            return;
          }
          if (answer.status === 200 && typeof answer.body.url === "string") {
            self.listen(index, answer.body.url);
          } else if (answer.status === 503) {
            self.retry(index);
          } else if (answer.status === 410) {
            self.expired();
          } else {
            warn("stopped: " + (answer.body.message || "HTTP " + answer.status));
          }
        },
        function () {
          self.retry(index);
        }
      );
  };

  Subscription.prototype.retry = function (index) {
    var channel = this.channels[index];
    var self = this;
    if (self.closed) {
      return;
    }
    clearTimeout(channel.timer);
    channel.timer = setTimeout(function () { self.connect(index); }, channel.retry);
    channel.retry = Math.min(channel.retry * 2 * (1 + (Math.random() * 0.2 - 0.1)), MAX_RETRY_MS);
  };

  Subscription.prototype.listen = function (index, url) {
    var self = this;
    var channel = this.channels[index];
    var source = new EventSource(url);
    var fresh = true;
    channel.source = source;

    source.addEventListener("update", function (event) {
      var first = fresh;
      var changed = channel.last !== null && channel.last !== event.data;
      fresh = false;
      channel.retry = FIRST_RETRY_MS;
      if (first && channel.last === null) {
        channel.last = event.data;
        return;
      }
      channel.last = event.data;
      if (changed) {
        self.refresh();
      }
    });

    source.addEventListener("channelError", function (event) {
      var error = {};
      try {
        error = JSON.parse(event.data) || {};
      } catch (ignored) {
        error = {};
      }
      source.close();
      if (channel.source !== source) {
        return;
      }
      channel.source = null;
      if (error.fatal) {
        warn("stopped: " + (error.message || error.code || "fatal channel error"));
      } else {
        self.retry(index);
      }
    });

    source.addEventListener("error", function () {
      // Closed by the server or cut by the network: channels are not reused, open a new one.
      if (channel.source !== source) {
        return;
      }
      source.close();
      channel.source = null;
      self.retry(index);
    });
  };

  Subscription.prototype.expired = function () {
    var seen = null;
    try {
      seen = window.sessionStorage.getItem(EXPIRED_KEY);
      window.sessionStorage.setItem(EXPIRED_KEY, this.config.description);
    } catch (ignored) {
      seen = this.config.description;
    }
    this.close();
    if (seen === this.config.description) {
      // The reloaded page came back with the same description (a cached copy): stop here.
      warn("stopped: the page's description has expired");
    } else {
      window.location.reload();
    }
  };

  Subscription.prototype.refresh = function () {
    var self = this;
    if (self.refreshing) {
      self.again = true;
      return;
    }
    self.refreshing = true;
    setTimeout(function () {
      if (self.config.mode === "reload") {
        window.location.reload();
      } else {
        self.swap();
      }
    }, self.config.delay);
  };

  Subscription.prototype.swap = function () {
    var self = this;
    fetch(window.location.href, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "text/html" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        if (!swapLiveElements(document, fresh)) {
          window.location.reload();
          return;
        }
        self.follow(fresh);
        self.refreshing = false;
        if (self.again) {
          self.again = false;
          self.refresh();
        }
      })
      .catch(function () {
        window.location.reload();
      });
  };

  // After a swap: the fresh copy's description replaces ours (its timestamp is newer); a
  // different query set gets channels of its own.
  Subscription.prototype.follow = function (fresh) {
    var element = fresh.querySelector("script[data-datocms-live-updates]");
    if (!element) {
      return;
    }
    var config = readConfig(element);
    if (config.digest === this.config.digest) {
      this.config.description = config.description;
      return;
    }
    this.close();
    delete subscriptions[this.config.digest];
    subscribe(config);
  };

  function swapLiveElements(current, fresh) {
    var olds = current.querySelectorAll("[data-datocms-live]");
    var news = fresh.querySelectorAll("[data-datocms-live]");
    if (olds.length === 0 || olds.length !== news.length) {
      return false;
    }
    for (var index = 0; index < olds.length; index += 1) {
      if (olds[index].getAttribute("data-datocms-live") !== news[index].getAttribute("data-datocms-live")) {
        return false;
      }
    }
    for (var position = 0; position < olds.length; position += 1) {
      olds[position].replaceWith(current.importNode(news[position], true));
    }
    return true;
  }

  function subscribe(config) {
    if (!config.endpoint || !config.description || !config.channels || subscriptions[config.digest]) {
      return;
    }
    var subscription = new Subscription(config);
    subscriptions[config.digest] = subscription;
    subscription.start();
  }

  function startAll() {
    var elements = document.querySelectorAll("script[data-datocms-live-updates]");
    for (var index = 0; index < elements.length; index += 1) {
      subscribe(readConfig(elements[index]));
    }
  }

  if (typeof window.EventSource === "undefined" || typeof window.fetch === "undefined") {
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", startAll);
  } else {
    startAll();
  }
})();
