vcl 4.1;
# Varnish in front of a datocms_app site: pages are tagged from the `xkey` response header
# that datocms_app.caching.cdn.VarnishBackend adds, and purged by tag when DatoCMS's
# cache-tags webhook reaches Django. Needs the xkey vmod (Debian: varnish-modules).
#
#   varnishd -a :6081 -f /path/to/varnish.vcl
#   DATOCMS["CDN"] = {"BACKEND": "datocms_app.caching.cdn.VarnishBackend",
#                     "URLS": ["http://127.0.0.1:6081/"]}
#
# Edit the backend and the `purgers` ACL (the addresses of your Django servers).

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.http.xkey-purge-all == "true") {
            ban("obj.status != 0");
            return (synth(200, "Banned everything"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "Missing xkey-purge header"));
        }
        set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.n-gone + " objects"));
    }
    # Editors in draft mode, the webhook, anything with a session: straight to Django.
    if (req.url ~ "^/datocms/") {
        return (pass);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # Tags are for Varnish only.
    unset resp.http.xkey;
}
